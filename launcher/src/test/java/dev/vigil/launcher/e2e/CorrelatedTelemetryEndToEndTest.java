package dev.vigil.launcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Issue #4's end-to-end telemetry contract on the whole stack, read back through vigil-telemetry's Tempo, Loki and
 * Prometheus APIs exactly as Grafana would: one {@code POST /api/orders} is one trace (gateway, orders, inventory,
 * payments, PostgreSQL and the outbox relay's Kafka producer span); the notifications consumer starts its own trace
 * linked to that producer span; the request's log lines carry its trace id; a latency exemplar leads to a stored trace.
 *
 * <p>
 * The order is placed once, with a client-chosen W3C {@code traceparent}, so every assertion knows its trace id
 * without guessing from a search (other test classes place orders on the same stack). Spans, logs and metrics are
 * exported in batches (every few seconds; metrics every {@code VIGIL_METRICS_STEP}), hence the deadlines.
 */
@ExtendWith(SharedStack.Resolver.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CorrelatedTelemetryEndToEndTest {

	private static final Duration EXPORTED = Duration.ofSeconds(90);

	private static final String TOPIC = "orders.v1";

	final SharedStack shop;

	private final String traceId = HexFormat.of().formatHex(randomBytes(16));

	private Instant placedAt;

	private String orderId;

	CorrelatedTelemetryEndToEndTest(SharedStack shop) {
		this.shop = shop;
	}

	@BeforeAll
	void placeOneTracedOrder() throws Exception {
		placedAt = Instant.now();
		// As a traced client would: sampled (flags 01), parent = the client's own (unexported) span.
		String traceparent = "00-" + traceId + "-" + HexFormat.of().formatHex(randomBytes(8)) + "-01";
		orderId = shop.placeOrder(shop.productId(3), "telemetry-" + UUID.randomUUID(), Map.of("traceparent", traceparent))
			.path("id")
			.asString();
	}

	@Test
	void anOrderIsOneTraceIncludingPostgresAndTheOutboxRelaysKafkaProducerSpan() {
		await().atMost(EXPORTED).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
			List<Span> trace = trace(traceId);
			assertThat(trace).extracting(Span::service)
				.contains("vigil-gateway", "vigil-orders", "vigil-inventory", "vigil-payments");
			assertThat(trace).as("a PostgreSQL client span")
				.anyMatch((span) -> span.kind().equals("SPAN_KIND_CLIENT")
						&& "postgresql".equals(span.attributes().get("db.system.name")));
			Span producer = producerSpan(trace).orElseThrow(() -> new AssertionError("no Kafka producer span in " + trace));
			assertThat(producer.service()).isEqualTo("vigil-orders");
			assertThat(producer.name()).isEqualTo("send " + TOPIC);
			assertThat(producer.attributes()).containsEntry("messaging.system", "kafka")
				.containsEntry("messaging.destination.name", TOPIC)
				.containsEntry("messaging.operation.type", "send");
			// The relay sends later, on its own thread: the span joins the trace only through the traceparent stored
			// in the outbox row, so it must hang below a span of this very request, not be a second root.
			assertThat(trace).extracting(Span::spanId).contains(producer.parentSpanId());
		});
	}

	@Test
	void theNotificationsConsumerStartsItsOwnTraceLinkedToTheProducerSpan() {
		String query = "{ resource.service.name = \"vigil-notifications\" && kind = consumer }";
		await().atMost(EXPORTED).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
			Span producer = producerSpan(trace(traceId)).orElseThrow(() -> new AssertionError("no producer span yet"));
			List<Span> linked = new ArrayList<>();
			JsonNode found = shop.telemetry("/api/search?limit=200&start=" + (placedAt.getEpochSecond() - 5) + "&q="
					+ SharedStack.encode(query)).path("traces");
			for (JsonNode summary : found) {
				for (Span span : trace(summary.path("traceID").asString())) {
					if (span.kind().equals("SPAN_KIND_CONSUMER") && span.links().contains(traceId + "/" + producer.spanId())) {
						linked.add(span);
					}
				}
			}
			assertThat(linked).as("a consumer span linked to the producer span " + producer.spanId()).hasSize(1);
			Span consumer = linked.get(0);
			assertThat(consumer.traceId()).as("a new trace, not a child of the order's").isNotEqualTo(traceId);
			assertThat(consumer.parentSpanId()).isEmpty();
			assertThat(consumer.service()).isEqualTo("vigil-notifications");
			assertThat(consumer.attributes()).containsEntry("messaging.system", "kafka")
				.containsEntry("messaging.destination.name", TOPIC)
				.containsEntry("messaging.operation.type", "process");
		});
	}

	@Test
	void theRequestsLogLinesCarryItsTraceId() {
		await().atMost(EXPORTED).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
			JsonNode entries = shop.telemetry("/loki/api/v1/trace/" + traceId).path("data").path("entries");
			Set<String> services = new TreeSet<>();
			for (JsonNode entry : entries) {
				services.add(entry.path("stream").path("service_name").asString());
			}
			assertThat(services).contains("vigil-gateway", "vigil-orders");
			assertThat(entries.toString()).contains(orderId);
		});
		// The same lines through plain LogQL, as Grafana's "logs for this span" asks Loki 3: OTLP log records keep
		// their trace id as structured metadata, which a label filter matches without a parser stage.
		await().atMost(EXPORTED).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
			String logql = "{service_name=\"vigil-orders\"} | trace_id=\"" + traceId + "\"";
			JsonNode streams = shop.telemetry("/loki/api/v1/query_range?limit=100&start=" + (placedAt.getEpochSecond() - 5)
					+ "&query=" + SharedStack.encode(logql)).path("data").path("result");
			assertThat(streams.toString()).contains("Order " + orderId + " placed");
		});
	}

	@Test
	void aLatencyExemplarPointsAtAStoredTrace() {
		String selector = "http_server_request_duration_seconds_bucket{job=\"vigil-gateway\",http_route=\"/api/orders\"}";
		await().atMost(EXPORTED).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
			List<String> traceIds = new ArrayList<>();
			JsonNode series = shop.telemetry("/api/v1/query_exemplars?query=" + SharedStack.encode(selector) + "&start="
					+ (placedAt.getEpochSecond() - 5) + "&end=" + (Instant.now().getEpochSecond() + 5)).path("data");
			for (JsonNode one : series) {
				for (JsonNode exemplar : one.path("exemplars")) {
					traceIds.add(exemplar.path("labels").path("trace_id").asString());
				}
			}
			assertThat(traceIds).as("exemplars of " + selector).isNotEmpty().allMatch((id) -> id.matches("[0-9a-f]{32}"));
			// Exemplars are exported with the metrics, spans with the traces: the trace may arrive a batch later.
			String latest = traceIds.get(traceIds.size() - 1);
			HttpResponse<String> trace = shop.telemetryResponse("/api/traces/" + latest);
			assertThat(trace.statusCode()).as(trace.body()).isEqualTo(200);
			assertThat(trace(latest)).extracting(Span::service).contains("vigil-gateway");
		});
	}

	private static Optional<Span> producerSpan(List<Span> trace) {
		return trace.stream()
			.filter((span) -> span.kind().equals("SPAN_KIND_PRODUCER") && "kafka".equals(span.attributes().get("messaging.system")))
			.findFirst();
	}

	/** The spans of a trace from the Tempo API (OTLP JSON, ids base64-encoded), empty while it is unknown. */
	private List<Span> trace(String id) throws Exception {
		List<Span> spans = new ArrayList<>();
		for (JsonNode batch : shop.telemetry("/api/traces/" + id).path("batches")) {
			String service = attributes(batch.path("resource").path("attributes")).getOrDefault("service.name", "");
			for (JsonNode scope : batch.path("scopeSpans")) {
				for (JsonNode span : scope.path("spans")) {
					List<String> links = new ArrayList<>();
					for (JsonNode link : span.path("links")) {
						links.add(hex(link.path("traceId").asString()) + "/" + hex(link.path("spanId").asString()));
					}
					spans.add(new Span(service, span.path("name").asString(), span.path("kind").asString(),
							hex(span.path("traceId").asString()), hex(span.path("spanId").asString()),
							hex(span.path("parentSpanId").asString()), attributes(span.path("attributes")), links));
				}
			}
		}
		return spans;
	}

	private static Map<String, String> attributes(JsonNode keyValues) {
		Map<String, String> attributes = new HashMap<>();
		for (JsonNode keyValue : keyValues) {
			JsonNode value = keyValue.path("value");
			// OTLP JSON: one of stringValue, intValue (a string), boolValue, doubleValue
			JsonNode scalar = value.properties().stream().findFirst().map(Map.Entry::getValue).orElse(value);
			attributes.put(keyValue.path("key").asString(), scalar.asString());
		}
		return attributes;
	}

	/** Trace and span ids: lowercase hex, whether the API printed them as hex or (protobuf JSON) base64. */
	private static String hex(String id) {
		if (id.isEmpty() || id.matches("[0-9a-fA-F]{16}|[0-9a-fA-F]{32}")) {
			return id.toLowerCase(Locale.ROOT);
		}
		return HexFormat.of().formatHex(Base64.getDecoder().decode(id));
	}

	private static byte[] randomBytes(int length) {
		byte[] bytes = new byte[length];
		ThreadLocalRandom.current().nextBytes(bytes);
		return bytes;
	}

	private record Span(String service, String name, String kind, String traceId, String spanId, String parentSpanId,
			Map<String, String> attributes, List<String> links) {
	}

}
