package dev.vigil.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.vigil.telemetry.server.PromApiClient;
import dev.vigil.telemetry.server.ServerConfig;
import dev.vigil.telemetry.servicegraph.MetricsGenerator;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The span and log stores' sizes and evictions, as self-metrics through the server's own PromQL API. */
class StoreSelfMetricsTest {

	static final long DAY_NANOS = 24L * 3600 * 1_000_000_000L;

	TelemetryMain.Backend backend;

	PromApiClient api;

	@BeforeEach
	void start() throws Exception {
		backend = TelemetryMain.startBackend(ServerConfig.forTests(), MetricsGenerator.Config.defaults());
		api = new PromApiClient(backend.server().httpPort());
	}

	@AfterEach
	void stop() {
		backend.close();
	}

	double query(String promql, long timeMillis) {
		JsonNode body = api.getJson("/api/v1/query?time=" + timeMillis / 1000.0 + "&query="
				+ URLEncoder.encode(promql, StandardCharsets.UTF_8));
		assertThat(body.path("status").asString()).as(body.toString()).isEqualTo("success");
		JsonNode result = body.path("data").path("result");
		assertThat(result).as(promql).hasSize(1);
		return result.get(0).path("value").get(1).asDouble();
	}

	static Span span(long trace, long span, long endNanos) {
		return Span.newBuilder()
			.setTraceId(ByteString.copyFrom(ByteBuffer.allocate(16).putLong(8, trace).array()))
			.setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(span).array()))
			.setName("op")
			.setStartTimeUnixNano(endNanos - 1_000_000)
			.setEndTimeUnixNano(endNanos)
			.build();
	}

	@Test
	void shouldReportEvictedSpansAndLogRecordsThroughPromql() {
		long now = System.currentTimeMillis();
		long nowNanos = now * 1_000_000L;
		// a day old: past the 6 h retention, so evicted as soon as stored; then three current spans in one trace
		ScopeSpans.Builder old = ScopeSpans.newBuilder();
		for (int i = 0; i < 5; i++) {
			old.addSpans(span(100 + i, 1, nowNanos - DAY_NANOS));
		}
		backend.server().ingest().exportTraces(ExportTraceServiceRequest.newBuilder()
			.addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(old))
			.build());
		backend.server().ingest().exportTraces(ExportTraceServiceRequest.newBuilder()
			.addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder()
				.addSpans(span(1, 1, nowNanos))
				.addSpans(span(1, 2, nowNanos))
				.addSpans(span(1, 3, nowNanos))))
			.build());
		backend.server().ingest().exportLogs(ExportLogsServiceRequest.newBuilder()
			.addResourceLogs(LokiTailTest.logs("vigil-orders", nowNanos - DAY_NANOS, "stale 1", "stale 2"))
			.build());
		backend.server().ingest().exportLogs(ExportLogsServiceRequest.newBuilder()
			.addResourceLogs(LokiTailTest.logs("vigil-orders", nowNanos, "fresh"))
			.build());
		backend.server().collectSelfMetrics(now);

		assertThat(query("vigil_telemetry_trace_store_spans_evicted_total{job=\"vigil-telemetry\"}", now)).isEqualTo(5);
		assertThat(query("vigil_telemetry_trace_store_spans_stored_total", now)).isEqualTo(8);
		assertThat(query("vigil_telemetry_trace_store_spans", now)).isEqualTo(3);
		assertThat(query("vigil_telemetry_trace_store_estimated_bytes", now)).isPositive();
		assertThat(query("vigil_telemetry_trace_store_wal_write_errors_total", now)).isZero();
		assertThat(query("vigil_telemetry_log_store_records_evicted_total", now)).isEqualTo(2);
		assertThat(query("vigil_telemetry_log_store_records_stored_total", now)).isEqualTo(3);
		assertThat(query("vigil_telemetry_log_store_records", now)).isEqualTo(1);
		assertThat(query("vigil_telemetry_log_store_estimated_bytes", now)).isPositive();
	}

}
