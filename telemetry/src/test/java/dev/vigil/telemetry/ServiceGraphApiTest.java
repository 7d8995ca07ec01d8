package dev.vigil.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.telemetry.server.PromApiClient;
import dev.vigil.telemetry.server.ServerConfig;
import dev.vigil.telemetry.servicegraph.MetricsGenerator;
import dev.vigil.telemetry.servicegraph.ShopTrace;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Spans in through the OTLP intake, service-graph and span metrics out through PromQL on the Prometheus API. */
class ServiceGraphApiTest {

	TelemetryMain.Backend backend;

	PromApiClient api;

	@BeforeEach
	void start() throws Exception {
		// collected by hand below: no timer firing during the test
		backend = TelemetryMain.startBackend(ServerConfig.forTests(),
				new MetricsGenerator.Config(10_000, Duration.ofSeconds(10), 10_000, Duration.ofHours(1)));
		api = new PromApiClient(backend.server().httpPort());
	}

	@AfterEach
	void stop() {
		backend.close();
	}

	JsonNode query(String promql, long timeMillis) {
		JsonNode body = api.getJson("/api/v1/query?time=" + timeMillis / 1000.0 + "&query="
				+ URLEncoder.encode(promql, StandardCharsets.UTF_8));
		assertThat(body.path("status").asString()).as(body.toString()).isEqualTo("success");
		return body.path("data").path("result");
	}

	@Test
	void shouldAnswerPromqlAboutTheServiceGraphOfIngestedTraces() {
		long t0 = 1_790_000_000_000L;
		for (int i = 0; i < 3; i++) {
			backend.server().ingest().exportTraces(ExportTraceServiceRequest.newBuilder()
				.addAllResourceSpans(ShopTrace.order(i))
				.build());
		}
		backend.generator().collect(backend.server().storage()::append, t0);
		for (int i = 3; i < 9; i++) {
			backend.server().ingest().exportTraces(ExportTraceServiceRequest.newBuilder()
				.addAllResourceSpans(ShopTrace.order(i))
				.build());
		}
		backend.generator().collect(backend.server().storage()::append, t0 + 30_000);

		JsonNode rate = query("rate(traces_service_graph_request_total{client=\"vigil-gateway\"}[1m])", t0 + 30_000);
		assertThat(rate).hasSize(1);
		assertThat(rate.get(0).path("metric").path("server").asString()).isEqualTo("vigil-orders");
		assertThat(rate.get(0).path("value").get(1).asDouble()).isGreaterThan(0);

		JsonNode edges = query("sum by (client, server, connection_type) (increase(traces_service_graph_request_server_seconds_count[1m])) > 0", t0 + 30_000);
		assertThat(edges).extracting(e -> e.path("metric").path("client").asString() + "->"
				+ e.path("metric").path("server").asString() + " " + e.path("metric").path("connection_type").asString())
			.containsExactlyInAnyOrder("vigil-gateway->vigil-orders ", "vigil-orders->vigil-payments ",
					"vigil-orders->vigil-notifications messaging_system");

		JsonNode total = query("traces_service_graph_request_failed_total", t0 + 30_000);
		assertThat(total).hasSize(1);
		assertThat(total.get(0).path("metric").path("server").asString()).isEqualTo("vigil-payments");
		assertThat(total.get(0).path("value").get(1).asString()).isEqualTo("9");

		JsonNode p99 = query("histogram_quantile(0.99, sum by (le) (rate(traces_service_graph_request_server_seconds_bucket{server=\"vigil-payments\"}[1m])))", t0 + 30_000);
		assertThat(p99.get(0).path("value").get(1).asDouble()).isBetween(0.1, 0.2); // payments' server spans: 200 ms

		JsonNode errors = query("sum by (service) (traces_spanmetrics_calls_total{status_code=\"STATUS_CODE_ERROR\", span_kind=\"SPAN_KIND_SERVER\"})", t0 + 30_000);
		assertThat(errors).hasSize(1);
		assertThat(errors.get(0).path("metric").path("service").asString()).isEqualTo("vigil-payments");
		assertThat(errors.get(0).path("value").get(1).asString()).isEqualTo("9");
		assertThat(query("traces_spanmetrics_latency_count{service=\"vigil-gateway\", span_kind=\"SPAN_KIND_SERVER\"}", t0 + 30_000)
			.get(0).path("value").get(1).asString()).isEqualTo("9");
	}

}
