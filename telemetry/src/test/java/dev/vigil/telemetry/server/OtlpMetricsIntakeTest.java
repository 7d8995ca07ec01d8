package dev.vigil.telemetry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.metrics.OtlpGrpcMetricExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The real OpenTelemetry SDK exports to the server; the data comes back through the Prometheus HTTP API. */
class OtlpMetricsIntakeTest {

	private TelemetryServer server;

	private PromApiClient api;

	@BeforeEach
	void start() throws Exception {
		server = TelemetryServer.start(ServerConfig.forTests());
		api = new PromApiClient(server.httpPort());
	}

	@AfterEach
	void stop() {
		server.close();
	}

	private static SdkMeterProvider provider(MetricExporter exporter, String service) {
		return SdkMeterProvider.builder()
			.setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service,
					AttributeKey.stringKey("service.instance.id"), "instance-1",
					AttributeKey.stringKey("deployment.environment"), "test")))
			.registerMetricReader(PeriodicMetricReader.builder(exporter).setInterval(Duration.ofHours(1)).build())
			.build();
	}

	private static void record(SdkMeterProvider provider) {
		Meter meter = provider.get("test");
		LongCounter orders = meter.counterBuilder("vigil.orders.placed").setUnit("{order}").build();
		orders.add(3, Attributes.of(AttributeKey.stringKey("outcome"), "ok"));
		DoubleHistogram duration = meter.histogramBuilder("http.server.request.duration")
			.setUnit("s")
			.setExplicitBucketBoundariesAdvice(List.of(0.1, 0.5, 1.0))
			.build();
		Attributes get = Attributes.of(AttributeKey.stringKey("http.request.method"), "GET",
				AttributeKey.stringKey("http.route"), "/orders");
		duration.record(0.05, get);
		duration.record(0.2, get);
		duration.record(0.7, get);
		meter.gaugeBuilder("vigil.outbox.backlog").ofLongs().buildWithCallback(m -> m.record(7));
	}

	private static void flush(SdkMeterProvider provider) {
		CompletableResultCode r = provider.forceFlush().join(10, TimeUnit.SECONDS);
		assertThat(r.isSuccess()).as("export succeeded").isTrue();
	}

	@Test
	void shouldQueryMetricsExportedOverGrpc() {
		try (SdkMeterProvider provider = provider(OtlpGrpcMetricExporter.builder()
			.setEndpoint("http://127.0.0.1:" + server.otlpGrpcPort())
			.build(), "vigil-orders")) {
			record(provider);
			flush(provider);
			assertTranslated("vigil-orders");
		}
	}

	@Test
	void shouldQueryMetricsExportedOverHttpProtobuf() {
		try (SdkMeterProvider provider = provider(OtlpHttpMetricExporter.builder()
			.setEndpoint("http://127.0.0.1:" + server.otlpHttpPort() + "/v1/metrics")
			.setCompression("gzip")
			.build(), "vigil-gateway")) {
			record(provider);
			flush(provider);
			assertTranslated("vigil-gateway");
		}
	}

	private void assertTranslated(String job) {
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			List<PromApiClient.Result> orders = api.query("vigil_orders_placed_total{job=\"" + job + "\"}");
			assertThat(orders).hasSize(1);
			assertThat(orders.get(0).value()).isEqualTo(3.0);
			assertThat(orders.get(0).metric()).containsEntry("instance", "instance-1").containsEntry("outcome", "ok");
		});
		List<PromApiClient.Result> buckets = api.query(
				"http_server_request_duration_seconds_bucket{job=\"" + job + "\", http_route=\"/orders\"}");
		assertThat(buckets).extracting(r -> r.metric().get("le") + "=" + r.value())
			.containsExactlyInAnyOrder("0.1=1.0", "0.5=2.0", "1=3.0", "+Inf=3.0");
		assertThat(buckets.get(0).metric()).containsEntry("http_request_method", "GET");
		assertThat(api.query("http_server_request_duration_seconds_count{job=\"" + job + "\"}").get(0).value())
			.isEqualTo(3.0);
		assertThat(api.query("http_server_request_duration_seconds_sum{job=\"" + job + "\"}").get(0).value())
			.isCloseTo(0.95, org.assertj.core.data.Offset.offset(1e-9));
		assertThat(api.query("vigil_outbox_backlog{job=\"" + job + "\"}").get(0).value()).isEqualTo(7.0);
		List<PromApiClient.Result> info = api.query("target_info{job=\"" + job + "\"}");
		assertThat(info).hasSize(1);
		assertThat(info.get(0).metric()).containsEntry("deployment_environment", "test")
			.containsEntry("instance", "instance-1")
			.doesNotContainKey("service_name");
	}

	@Test
	void shouldAccumulateDeltaTemporalityIntoCumulativeCounters() {
		try (SdkMeterProvider provider = provider(OtlpGrpcMetricExporter.builder()
			.setEndpoint("http://127.0.0.1:" + server.otlpGrpcPort())
			.setAggregationTemporalitySelector(AggregationTemporalitySelector.deltaPreferred())
			.build(), "vigil-payments")) {
			LongCounter c = provider.get("test").counterBuilder("vigil.payment.declines").build();
			c.add(2);
			flush(provider);
			c.add(5);
			flush(provider);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(api.query("vigil_payment_declines_total{job=\"vigil-payments\"}"))
					.extracting(PromApiClient.Result::value)
					.containsExactly(7.0));
		}
	}

	@Test
	void shouldServeExemplarsOfHistogramBuckets() {
		try (SdkMeterProvider provider = SdkMeterProvider.builder()
			.setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "vigil-inventory")))
			.setExemplarFilter(io.opentelemetry.sdk.metrics.ExemplarFilter.alwaysOn())
			.registerMetricReader(PeriodicMetricReader.builder(OtlpGrpcMetricExporter.builder()
				.setEndpoint("http://127.0.0.1:" + server.otlpGrpcPort())
				.build()).setInterval(Duration.ofHours(1)).build())
			.build()) {
			provider.get("t").histogramBuilder("rpc.server.duration").setUnit("ms").build().record(42);
			flush(provider);
		}
		tools.jackson.databind.JsonNode r = api.getJson("/api/v1/query_exemplars?query="
				+ java.net.URLEncoder.encode("histogram_quantile(0.9, sum by (le) (rate(rpc_server_duration_milliseconds_bucket{job=\"vigil-inventory\"}[5m])))",
						java.nio.charset.StandardCharsets.UTF_8));
		assertThat(r.path("status").asString()).isEqualTo("success");
		assertThat(r.path("data").size()).isEqualTo(1);
		assertThat(r.path("data").get(0).path("seriesLabels").path("le").asString()).isEqualTo("50");
		assertThat(r.path("data").get(0).path("exemplars").get(0).path("value").asString()).isEqualTo("42");
	}

	@Test
	void shouldServeProbesAndAcceptPostedQueries() {
		assertThat(api.get("/-/healthy").statusCode()).isEqualTo(200);
		assertThat(api.get("/-/ready").statusCode()).isEqualTo(200);
		var r = api.postForm("/api/v1/query", "query=" + java.net.URLEncoder.encode("1+1", java.nio.charset.StandardCharsets.UTF_8));
		assertThat(r.statusCode()).isEqualTo(200);
		assertThat(r.body()).contains("\"2\"");
		assertThat(api.get("/api/v1/rules").body()).isEqualTo("{\"status\":\"success\",\"data\":{\"groups\":[]}}");
		assertThat(api.get("/api/v1/alerts").body()).isEqualTo("{\"status\":\"success\",\"data\":{\"alerts\":[]}}");
	}

	@Test
	void shouldStoreSelfMetricsUnderItsOwnJob() {
		server.collectSelfMetrics(System.currentTimeMillis());
		assertThat(api.query("up{job=\"vigil-telemetry\"}")).extracting(PromApiClient.Result::value).containsExactly(1.0);
		assertThat(api.query("vigil_telemetry_data_points_received_total")).hasSize(1);
	}

}
