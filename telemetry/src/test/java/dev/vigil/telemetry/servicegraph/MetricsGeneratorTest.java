package dev.vigil.telemetry.servicegraph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.telemetry.tsdb.Labels;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MetricsGeneratorTest {

	final AtomicLong clock = new AtomicLong(1_000_000);

	MetricsGenerator generator(int maxPending, int maxSeries) {
		return new MetricsGenerator(new MetricsGenerator.Config(maxPending, Duration.ofSeconds(10), maxSeries,
				Duration.ofSeconds(15)), clock::get);
	}

	/** The last collected value of every series, by its labels in Prometheus text form. */
	static Map<String, Double> collect(MetricsGenerator generator, long ts) {
		Map<String, Double> samples = new TreeMap<>();
		generator.collect((Labels labels, long t, double v) -> {
			if (t == ts) {
				samples.put(labels.toString(), v);
			}
			return true;
		}, ts);
		return samples;
	}

	@Test
	void shouldPairClientAndServerSpansIntoEdgesWhateverTheArrivalOrder() {
		MetricsGenerator generator = generator(100, 100);
		generator.accept(ShopTrace.order(1));
		Map<String, Double> samples = collect(generator, clock.get());

		assertThat(samples).containsEntry(
				"traces_service_graph_request_total{client=\"vigil-gateway\", server=\"vigil-orders\"}", 1.0)
			.containsEntry("traces_service_graph_request_total{client=\"vigil-orders\", server=\"vigil-payments\"}", 1.0)
			.containsEntry("traces_service_graph_request_failed_total{client=\"vigil-orders\", server=\"vigil-payments\"}", 1.0)
			.containsEntry("traces_service_graph_request_total{client=\"vigil-orders\", connection_type=\"messaging_system\", server=\"vigil-notifications\"}", 1.0)
			.doesNotContainKey("traces_service_graph_request_failed_total{client=\"vigil-gateway\", server=\"vigil-orders\"}");
		// orders' server span took 400 ms: above 0.2, within 0.4 (Tempo's default buckets; le is inclusive)
		assertThat(samples)
			.containsEntry("traces_service_graph_request_server_seconds_bucket{client=\"vigil-gateway\", le=\"0.2\", server=\"vigil-orders\"}", 0.0)
			.containsEntry("traces_service_graph_request_server_seconds_bucket{client=\"vigil-gateway\", le=\"0.4\", server=\"vigil-orders\"}", 1.0)
			.containsEntry("traces_service_graph_request_server_seconds_bucket{client=\"vigil-gateway\", le=\"+Inf\", server=\"vigil-orders\"}", 1.0)
			.containsEntry("traces_service_graph_request_server_seconds_count{client=\"vigil-gateway\", server=\"vigil-orders\"}", 1.0)
			.containsEntry("traces_service_graph_request_server_seconds_sum{client=\"vigil-gateway\", server=\"vigil-orders\"}", 0.4)
			.containsEntry("traces_service_graph_request_client_seconds_sum{client=\"vigil-gateway\", server=\"vigil-orders\"}", 0.45);
		assertThat(samples.keySet().stream().filter(k -> k.startsWith("traces_service_graph_request_server_seconds_bucket{client=\"vigil-gateway\"")))
			.extracting(k -> k.replaceAll(".*le=\"([^\"]+)\".*", "$1"))
			.containsExactlyInAnyOrder("0.1", "0.2", "0.4", "0.8", "1.6", "3.2", "6.4", "12.8", "+Inf");
		assertThat(generator.stats()).containsEntry("vigil_telemetry_service_graph_pending_edges", 0L);
	}

	@Test
	void shouldCountSpanMetricsPerServiceNameKindAndStatus() {
		MetricsGenerator generator = generator(100, 100);
		generator.accept(ShopTrace.order(1));
		generator.accept(ShopTrace.order(2));
		Map<String, Double> samples = collect(generator, clock.get());
		assertThat(samples)
			.containsEntry("traces_spanmetrics_calls_total{service=\"vigil-payments\", span_kind=\"SPAN_KIND_SERVER\", span_name=\"payments.v1.Payments/Charge\", status_code=\"STATUS_CODE_ERROR\"}", 2.0)
			.containsEntry("traces_spanmetrics_calls_total{service=\"vigil-gateway\", span_kind=\"SPAN_KIND_SERVER\", span_name=\"POST /api/orders\", status_code=\"STATUS_CODE_UNSET\"}", 2.0)
			.containsEntry("traces_spanmetrics_latency_bucket{le=\"0.256\", service=\"vigil-payments\", span_kind=\"SPAN_KIND_SERVER\", span_name=\"payments.v1.Payments/Charge\", status_code=\"STATUS_CODE_ERROR\"}", 2.0)
			.containsEntry("traces_spanmetrics_latency_bucket{le=\"0.128\", service=\"vigil-payments\", span_kind=\"SPAN_KIND_SERVER\", span_name=\"payments.v1.Payments/Charge\", status_code=\"STATUS_CODE_ERROR\"}", 0.0)
			.containsEntry("traces_spanmetrics_latency_bucket{le=\"16.384\", service=\"vigil-payments\", span_kind=\"SPAN_KIND_SERVER\", span_name=\"payments.v1.Payments/Charge\", status_code=\"STATUS_CODE_ERROR\"}", 2.0)
			.containsEntry("traces_spanmetrics_latency_count{service=\"vigil-payments\", span_kind=\"SPAN_KIND_SERVER\", span_name=\"payments.v1.Payments/Charge\", status_code=\"STATUS_CODE_ERROR\"}", 2.0);
		assertThat(samples.keySet().stream().filter(k -> k.startsWith("traces_spanmetrics_calls_total"))).hasSize(7);
	}

	@Test
	void shouldWriteAZeroBeforeTheFirstValueSoRateSeesTheFirstIncrements() {
		MetricsGenerator generator = generator(100, 100);
		generator.accept(ShopTrace.order(1));
		Map<Long, Double> calls = new TreeMap<>();
		generator.collect((labels, t, v) -> {
			if (labels.toString().equals("traces_service_graph_request_total{client=\"vigil-gateway\", server=\"vigil-orders\"}")) {
				calls.put(t, v);
			}
			return true;
		}, 60_000);
		generator.accept(ShopTrace.order(2));
		generator.collect((labels, t, v) -> {
			if (labels.toString().equals("traces_service_graph_request_total{client=\"vigil-gateway\", server=\"vigil-orders\"}")) {
				calls.put(t, v);
			}
			return true;
		}, 75_000);
		assertThat(calls).containsExactly(Map.entry(59_999L, 0.0), Map.entry(60_000L, 1.0), Map.entry(75_000L, 2.0));
	}

	@Test
	void shouldExpireUnpairedHalvesAfterTheWaitAndTurnDatabaseCallsIntoEdges() {
		MetricsGenerator generator = generator(100, 100);
		String trace = "f1";
		generator.accept(List.of(ShopTrace.batch("vigil-gateway",
				ShopTrace.span(trace, "01", null, "GET /api/products", SpanKind.SPAN_KIND_CLIENT, 0, 10, false)),
				ShopTrace.batch("vigil-inventory", ShopTrace.span(trace, "02", "99", "GET", SpanKind.SPAN_KIND_SERVER, 0, 10, false),
						ShopTrace.span(trace, "03", "02", "SELECT stock", SpanKind.SPAN_KIND_CLIENT, 1, 2, false)
							.toBuilder().addAttributes(ShopTrace.kv("db.system.name", "postgresql")).addAttributes(ShopTrace.kv("db.namespace", "inventory")).build())));
		assertThat(generator.stats()).containsEntry("vigil_telemetry_service_graph_pending_edges", 3L);
		clock.addAndGet(9_999);
		assertThat(collect(generator, clock.get())).doesNotContainKey("traces_service_graph_unpaired_spans_total{client=\"vigil-gateway\"}");
		clock.addAndGet(1);
		Map<String, Double> samples = collect(generator, clock.get());
		assertThat(samples).containsEntry("traces_service_graph_unpaired_spans_total{client=\"vigil-gateway\"}", 1.0)
			.containsEntry("traces_service_graph_unpaired_spans_total{server=\"vigil-inventory\"}", 1.0)
			.containsEntry("traces_service_graph_request_total{client=\"vigil-inventory\", connection_type=\"database\", server=\"inventory\"}", 1.0)
			.containsEntry("vigil_telemetry_service_graph_expired_edges_total{job=\"vigil-telemetry\"}", 3.0)
			.containsEntry("vigil_telemetry_service_graph_pending_edges{job=\"vigil-telemetry\"}", 0.0);
	}

	@Test
	void shouldBoundPendingEdgesAndSeriesAndCountWhatIsDropped() {
		MetricsGenerator generator = generator(2, 3);
		for (int i = 0; i < 5; i++) {
			generator.accept(List.of(ShopTrace.batch("svc-" + i,
					ShopTrace.span("a" + i, "01", null, "call", SpanKind.SPAN_KIND_CLIENT, 0, 1, false))));
		}
		assertThat(generator.stats()).containsEntry("vigil_telemetry_service_graph_pending_edges", 2L)
			.containsEntry("vigil_telemetry_service_graph_dropped_spans_total", 3L);
		Map<String, Double> samples = collect(generator, clock.get());
		// 5 services, at most 3 series per metric: two updates dropped for calls and two for latency
		assertThat(samples.keySet().stream().filter(k -> k.startsWith("traces_spanmetrics_calls_total"))).hasSize(3);
		assertThat(samples).containsEntry("traces_service_graph_dropped_spans_total{client=\"svc-2\"}", 1.0)
			.containsEntry("traces_service_graph_dropped_spans_total{client=\"svc-4\"}", 1.0)
			.containsEntry("vigil_telemetry_generated_series_updates_dropped_total{job=\"vigil-telemetry\"}", 4.0);
	}

}
