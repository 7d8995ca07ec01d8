package dev.vigil.telemetry.traces;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.telemetry.api.ApiResponse;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class TempoApiTest {

	final TraceStore store = new TraceStore(new TraceStore.Config(1_000_000, Long.MAX_VALUE / 2));

	final TempoApi api = new TempoApi(store);

	@BeforeEach
	void twoTraces() {
		store.append(List.of(Spans.batch("vigil-gateway",
				Spans.span("aa", "01", null, "POST /api/orders", SpanKind.SPAN_KIND_SERVER, 0, 300, true, Map.of("http.route", "/api/orders")))));
		store.append(List.of(Spans.batch("vigil-orders",
				Spans.span("aa", "02", "01", "vigil.orders.v1.OrderService/PlaceOrder", SpanKind.SPAN_KIND_SERVER, 10, 280, true, Map.of("rpc.system", "grpc")),
				Spans.span("aa", "03", "02", "INSERT orders", SpanKind.SPAN_KIND_CLIENT, 20, 5, false, Map.of("db.system.name", "postgresql")))));
		store.append(List.of(Spans.batch("vigil-gateway",
				Spans.span("bb", "11", null, "GET /api/products", SpanKind.SPAN_KIND_SERVER, 1_000, 12, false, Map.of("http.route", "/api/products")))));
	}

	JsonNode ok(String path, Map<String, List<String>> params) {
		ApiResponse response = api.handle(path, params);
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return TempoApi.parse(response.body());
	}

	@Test
	void traceByIdReturnsAllSpansGroupedByResourceInTempoShape() throws IOException {
		JsonNode body = ok("/api/traces/" + "0".repeat(30) + "aa", Map.of());
		assertThat(fieldNames(body)).containsExactlyElementsOf(fieldNames(fixture("trace-by-id.json")));
		assertThat(body.path("batches")).hasSize(2);
		JsonNode first = body.path("batches").get(0);
		assertThat(fieldNames(first)).containsExactlyInAnyOrderElementsOf(fieldNames(fixture("trace-by-id.json").path("batches").get(0)));
		int spans = 0;
		for (JsonNode batch : body.path("batches")) {
			for (JsonNode scope : batch.path("scopeSpans")) {
				spans += scope.path("spans").size();
			}
		}
		assertThat(spans).isEqualTo(3);
		assertThat(ok("/api/traces/aa", Map.of()).path("batches")).hasSize(2); // short ids are left-padded, as in Tempo
		assertThat(ok("/api/v2/traces/aa", Map.of()).path("trace").path("resourceSpans")).hasSize(2);
	}

	@Test
	void unknownAndMalformedIdsAre404And400() {
		assertThat(api.handle("/api/traces/" + "f".repeat(32), Map.of()).status()).isEqualTo(404);
		assertThat(api.handle("/api/traces/not-hex", Map.of()).status()).isEqualTo(400);
		assertThat(api.handle("/api/traces/" + "a".repeat(40), Map.of()).status()).isEqualTo(400);
	}

	@Test
	void searchWithTraceQLFindsTheErroringOrderTrace() throws IOException {
		JsonNode body = ok("/api/search", Map.of("q", List.of("{ resource.service.name = \"vigil-orders\" && status = error }")));
		assertThat(body.path("traces")).hasSize(1);
		JsonNode trace = body.path("traces").get(0);
		assertThat(trace.path("traceID").asString()).endsWith("aa");
		assertThat(trace.path("rootServiceName").asString()).isEqualTo("vigil-gateway");
		assertThat(trace.path("rootTraceName").asString()).isEqualTo("POST /api/orders");
		assertThat(trace.path("durationMs").asLong()).isEqualTo(300);
		assertThat(fieldNames(trace)).containsAll(fieldNames(fixture("search.json").path("traces").get(0)));
	}

	@Test
	void searchByTagsDurationAndLimit() {
		assertThat(ok("/api/search", Map.of("tags", List.of("http.route=/api/products"))).path("traces")).hasSize(1);
		assertThat(ok("/api/search", Map.of("minDuration", List.of("100ms"))).path("traces")).hasSize(1);
		assertThat(ok("/api/search", Map.of("maxDuration", List.of("100ms"))).path("traces")).hasSize(1);
		assertThat(ok("/api/search", Map.of("limit", List.of("1"))).path("traces")).hasSize(1);
		assertThat(ok("/api/search", Map.of()).path("traces")).hasSize(2);
	}

	@Test
	void badSearchesAreClear400s() {
		assertThat(api.handle("/api/search", Map.of("q", List.of("{ status = error } | count() > 1"))).body())
			.contains("pipelines (|) are not supported");
		assertThat(api.handle("/api/search", Map.of("limit", List.of("1000000000"))).status()).isEqualTo(400);
		assertThat(api.handle("/api/search", Map.of("start", List.of("200"), "end", List.of("100"))).body())
			.contains("end must not be before start");
		assertThat(api.handle("/api/search", Map.of("minDuration", List.of("fast"))).status()).isEqualTo(400);
	}

	@Test
	void tagsAndTagValues() {
		assertThat(ok("/api/search/tags", Map.of()).path("tagNames").toString()).contains("service.name", "http.route");
		assertThat(ok("/api/search/tag/service.name/values", Map.of()).path("tagValues").toString())
			.contains("vigil-gateway", "vigil-orders");
		assertThat(ok("/api/v2/search/tag/resource.service.name/values", Map.of()).path("tagValues").get(0).path("type").asString())
			.isEqualTo("string");
		assertThat(ok("/api/v2/search/tags", Map.of()).path("scopes").toString()).contains("intrinsic", "resource", "span");
		assertThat(api.handle("/api/echo", Map.of()).status()).isEqualTo(200);
	}

	@Test
	void theSpanBudgetEvictsWholeOldestTracesAndCountsThem() {
		TraceStore small = new TraceStore(new TraceStore.Config(30, Long.MAX_VALUE / 2));
		for (int trace = 0; trace < 30; trace++) {
			small.append(List.of(Spans.batch("svc",
					Spans.span(Integer.toHexString(trace + 1), "01", null, "a", SpanKind.SPAN_KIND_SERVER, trace, 1, false, Map.of()),
					Spans.span(Integer.toHexString(trace + 1), "02", "01", "b", SpanKind.SPAN_KIND_CLIENT, trace, 1, false, Map.of()),
					Spans.span(Integer.toHexString(trace + 1), "03", "01", "c", SpanKind.SPAN_KIND_CLIENT, trace, 1, false, Map.of()))));
		}
		assertThat(small.spanCount()).isLessThanOrEqualTo(30);
		assertThat(small.ingestedSpans()).isEqualTo(90);
		assertThat(small.evictedSpans()).isEqualTo(small.ingestedSpans() - small.spanCount());
		assertThat(small.trace(Hex.normalizeTraceId("1"))).isEmpty();
		assertThat(small.trace(Hex.normalizeTraceId(Integer.toHexString(30)))).isPresent();
	}

	private JsonNode fixture(String name) throws IOException {
		try (InputStream in = getClass().getResourceAsStream("/tempo/" + name)) {
			return TempoApi.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
	}

	private static List<String> fieldNames(JsonNode node) {
		List<String> names = new ArrayList<>();
		Iterator<String> it = node.propertyNames().iterator();
		it.forEachRemaining(names::add);
		return names;
	}

}
