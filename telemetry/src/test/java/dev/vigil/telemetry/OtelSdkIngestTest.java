package dev.vigil.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.telemetry.server.PromApiClient;
import dev.vigil.telemetry.server.ServerConfig;
import dev.vigil.telemetry.server.TelemetryServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.logs.OtlpGrpcLogRecordExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The real OpenTelemetry SDK exports spans and logs (OTLP/gRPC and OTLP/HTTP protobuf) to a started server; they
 * come back through the Tempo and Loki APIs, the way Grafana or the console would read them.
 */
class OtelSdkIngestTest {

	TelemetryServer server;

	PromApiClient api;

	@BeforeEach
	void start() throws Exception {
		server = TelemetryMain.startWithStores(ServerConfig.forTests());
		api = new PromApiClient(server.httpPort());
	}

	@AfterEach
	void stop() {
		server.close();
	}

	static Resource resource(String service) {
		return Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service,
				AttributeKey.stringKey("deployment.environment.name"), "test"));
	}

	@Test
	void shouldQuerySpansAndLogsExportedOverGrpc() {
		exportAndQuery("vigil-orders-grpc",
				OtlpGrpcSpanExporter.builder().setEndpoint("http://127.0.0.1:" + server.otlpGrpcPort()).build(),
				OtlpGrpcLogRecordExporter.builder().setEndpoint("http://127.0.0.1:" + server.otlpGrpcPort()).build());
	}

	@Test
	void shouldQuerySpansAndLogsExportedOverHttpProtobuf() {
		String base = "http://127.0.0.1:" + server.otlpHttpPort();
		exportAndQuery("vigil-orders-http",
				OtlpHttpSpanExporter.builder().setEndpoint(base + "/v1/traces").setCompression("gzip").build(),
				OtlpHttpLogRecordExporter.builder().setEndpoint(base + "/v1/logs").build());
	}

	private void exportAndQuery(String service, SpanExporter spans, LogRecordExporter logs) {
		String traceId;
		long startNanos = System.currentTimeMillis() * 1_000_000L - 60_000_000_000L;
		try (SdkTracerProvider tracing = SdkTracerProvider.builder()
			.setResource(resource(service))
			.addSpanProcessor(BatchSpanProcessor.builder(spans).build())
			.build();
				SdkLoggerProvider logging = SdkLoggerProvider.builder()
					.setResource(resource(service))
					.addLogRecordProcessor(BatchLogRecordProcessor.builder(logs).build())
					.build()) {
			Span root = tracing.get("test").spanBuilder("POST /orders").setSpanKind(SpanKind.SERVER)
				.setAttribute("http.route", "/orders").startSpan();
			try (Scope ignored = root.makeCurrent()) {
				Span charge = tracing.get("test").spanBuilder("charge").setSpanKind(SpanKind.CLIENT).startSpan();
				charge.setStatus(StatusCode.ERROR, "card declined");
				try (Scope inner = charge.makeCurrent()) {
					logging.get("test").logRecordBuilder()
						.setSeverity(Severity.WARN)
						.setSeverityText("WARN")
						.setBody("payment declined for order 42")
						.setAttribute(AttributeKey.stringKey("order.id"), "42")
						.emit();
				}
				charge.end();
			}
			root.end();
			traceId = root.getSpanContext().getTraceId();
			assertThat(tracing.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
			assertThat(logging.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		}

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(api.get("/api/traces/" + traceId)
			.statusCode()).isEqualTo(200));
		JsonNode trace = api.getJson("/api/traces/" + traceId);
		JsonNode batch = trace.path("batches").get(0);
		assertThat(batch.path("resource").toString()).contains(service);
		assertThat(batch.path("scopeSpans").get(0).path("spans")).extracting(s -> s.path("name").asString())
			.containsExactlyInAnyOrder("POST /orders", "charge");

		String q = URLEncoder.encode("{ resource.service.name = \"" + service + "\" && status = error }",
				StandardCharsets.UTF_8);
		JsonNode found = api.getJson("/api/search?q=" + q);
		assertThat(found.path("traces")).hasSize(1);
		assertThat(found.path("traces").get(0).path("traceID").asString()).isEqualTo(traceId);
		assertThat(found.path("traces").get(0).path("rootServiceName").asString()).isEqualTo(service);

		String logQuery = URLEncoder.encode("{service_name=\"" + service + "\"} |= \"declined\"", StandardCharsets.UTF_8);
		JsonNode lines = api.getJson("/loki/api/v1/query_range?query=" + logQuery + "&start=" + startNanos);
		assertThat(lines.path("status").asString()).as(lines.toString()).isEqualTo("success");
		JsonNode streams = lines.path("data").path("result");
		assertThat(streams).hasSize(1);
		assertThat(streams.get(0).path("stream").path("level").asString()).isEqualTo("warn");
		JsonNode entry = streams.get(0).path("values").get(0);
		assertThat(entry.get(1).asString()).isEqualTo("payment declined for order 42");
		// structured metadata (Loki merges it into the stream labels unless asked to categorize): the line carries
		// the trace context it was emitted in, the way from a log to its trace
		assertThat(streams.get(0).path("stream").path("trace_id").asString()).isEqualTo(traceId);
		assertThat(streams.get(0).path("stream").path("order_id").asString()).isEqualTo("42");
		JsonNode ofTrace = api.getJson("/loki/api/v1/trace/" + traceId);
		assertThat(ofTrace.path("data").path("entries")).extracting(e -> e.path("line").asString())
			.containsExactly("payment declined for order 42");
	}

}
