package dev.vigil.telemetry.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.telemetry.tsdb.Labels;
import dev.vigil.telemetry.tsdb.StaleNaN;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTranslatorTest {

	private static final long T = 1_700_000_000_000L;

	record Appended(Labels labels, long t, double v) {
	}

	private final List<Appended> appended = new ArrayList<>();

	private final ExemplarStore exemplars = new ExemplarStore(4, 1000);

	private final MetricsTranslator translator = new MetricsTranslator(1000, 1000, exemplars);

	private MetricsTranslator.Result translate(Metric... metrics) {
		return translate(resource("svc", "ns"), metrics);
	}

	private MetricsTranslator.Result translate(Resource resource, Metric... metrics) {
		ExportMetricsServiceRequest req = ExportMetricsServiceRequest.newBuilder()
			.addResourceMetrics(ResourceMetrics.newBuilder()
				.setResource(resource)
				.addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(List.of(metrics))))
			.build();
		return translator.translate(req, (l, t, v) -> appended.add(new Appended(l, t, v)));
	}

	static KeyValue kv(String k, String v) {
		return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
	}

	static Resource resource(String service, String namespace) {
		Resource.Builder b = Resource.newBuilder().addAttributes(kv("service.name", service))
			.addAttributes(kv("service.instance.id", "i-1"));
		if (namespace != null) {
			b.addAttributes(kv("service.namespace", namespace));
		}
		return b.build();
	}

	static NumberDataPoint point(double v, long t, KeyValue... attrs) {
		return NumberDataPoint.newBuilder().setAsDouble(v).setTimeUnixNano(t * 1_000_000).addAllAttributes(List.of(attrs))
			.build();
	}

	private List<Appended> named(String name) {
		return appended.stream().filter(a -> a.labels().metricName().equals(name)).toList();
	}

	@Test
	void shouldUseNamespaceAndServiceNameAsJob() {
		translate(Metric.newBuilder().setName("queue.size").setGauge(Gauge.newBuilder().addDataPoints(point(4, T))).build());
		assertThat(named("queue_size")).singleElement()
			.satisfies(a -> assertThat(a.labels().toString()).isEqualTo("queue_size{instance=\"i-1\", job=\"ns/svc\"}"));
		// only identifying attributes on the resource: no target_info, as in Prometheus
		assertThat(named("target_info")).isEmpty();
	}

	@Test
	void shouldJoinCollidingAttributeValuesInKeyOrder() {
		translate(Metric.newBuilder().setName("g").setGauge(Gauge.newBuilder()
			.addDataPoints(point(1, T, kv("a/b", "2"), kv("a.b", "1")))).build());
		assertThat(named("g").get(0).labels().get("a_b")).isEqualTo("1;2");
	}

	@Test
	void shouldRejectInvalidDataPointsAndKeepTheRest() {
		Metric badHistogram = Metric.newBuilder().setName("h").setHistogram(Histogram.newBuilder()
			.setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
			.addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(T * 1_000_000).setCount(3)
				.addExplicitBounds(1).addExplicitBounds(2).addBucketCounts(1).addBucketCounts(2))) // needs 3 counts
			.build();
		Metric noValue = Metric.newBuilder().setName("g").setGauge(Gauge.newBuilder()
			.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T * 1_000_000))
			.addDataPoints(point(5, T))).build();
		Metric noTimestamp = Metric.newBuilder().setName("g2").setGauge(Gauge.newBuilder()
			.addDataPoints(NumberDataPoint.newBuilder().setAsInt(1))).build();
		MetricsTranslator.Result r = translate(badHistogram, noValue, noTimestamp);
		assertThat(r.rejectedDataPoints()).isEqualTo(3);
		assertThat(r.errorMessage()).contains("histogram has 2 bucket counts for 2 explicit bounds")
			.contains("data point without a value")
			.contains("without a timestamp");
		assertThat(named("g")).extracting(Appended::v).containsExactly(5.0);
	}

	@Test
	void shouldWriteStalenessMarkersForNoRecordedValue() {
		translate(Metric.newBuilder().setName("g").setGauge(Gauge.newBuilder()
			.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(T * 1_000_000).setFlags(1))).build());
		assertThat(StaleNaN.is(named("g").get(0).v())).isTrue();
	}

	@Test
	void shouldTranslateSummariesAndKeepNaN() {
		translate(Metric.newBuilder().setName("rpc.latency").setUnit("ms").setSummary(Summary.newBuilder()
			.addDataPoints(SummaryDataPoint.newBuilder().setTimeUnixNano(T * 1_000_000).setCount(2).setSum(Double.NaN)
				.addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder().setQuantile(0.99).setValue(12))))
			.build());
		assertThat(named("rpc_latency_milliseconds")).singleElement()
			.satisfies(a -> assertThat(a.labels().get("quantile")).isEqualTo("0.99"));
		assertThat(Double.isNaN(named("rpc_latency_milliseconds_sum").get(0).v())).isTrue();
		assertThat(StaleNaN.is(named("rpc_latency_milliseconds_sum").get(0).v())).isFalse();
		assertThat(named("rpc_latency_milliseconds_count").get(0).v()).isEqualTo(2);
	}

	@Test
	void shouldKeepExemplarsOnTheMatchingBucket() {
		translate(Metric.newBuilder().setName("lat").setUnit("s").setHistogram(Histogram.newBuilder()
			.setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
			.addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(T * 1_000_000).setCount(1).setSum(0.3)
				.addExplicitBounds(0.1).addExplicitBounds(0.5).addBucketCounts(0).addBucketCounts(1).addBucketCounts(0)
				.addExemplars(io.opentelemetry.proto.metrics.v1.Exemplar.newBuilder().setAsDouble(0.3)
					.setTimeUnixNano(T * 1_000_000)
					.setTraceId(com.google.protobuf.ByteString.copyFrom(new byte[16]))
					.setSpanId(com.google.protobuf.ByteString.copyFrom(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 })))))
			.build());
		var found = exemplars.select(0, Long.MAX_VALUE, List.of());
		assertThat(found).hasSize(1);
		var e = found.entrySet().iterator().next();
		assertThat(e.getKey().get("le")).isEqualTo("0.5");
		assertThat(e.getValue().get(0).labels().get("span_id")).isEqualTo("0102030405060708");
	}

	@Test
	void shouldBoundSeriesPerRequest() {
		MetricsTranslator small = new MetricsTranslator(100, 1000, exemplars);
		Gauge.Builder g = Gauge.newBuilder();
		for (int i = 0; i < 100_000; i++) {
			g.addDataPoints(point(i, T, kv("id", Integer.toString(i))));
		}
		ExportMetricsServiceRequest req = ExportMetricsServiceRequest.newBuilder()
			.addResourceMetrics(ResourceMetrics.newBuilder()
				.setResource(resource("svc", null))
				.addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("many").setGauge(g))))
			.build();
		MetricsTranslator.Result r = small.translate(req, (l, t, v) -> appended.add(new Appended(l, t, v)));
		assertThat(named("many")).hasSize(100);
		assertThat(r.rejectedDataPoints()).isEqualTo(99_900);
		assertThat(r.errorMessage()).contains("too many series in one request (limit 100)").contains("more");
	}

	@Test
	void shouldAddTotalOnlyToMonotonicSumsAndRejectNegativeDeltas() {
		translate(Metric.newBuilder().setName("c").setSum(Sum.newBuilder().setIsMonotonic(true)
			.setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA)
			.addDataPoints(point(2, T)).addDataPoints(point(-1, T + 1)).addDataPoints(point(3, T + 2))).build(),
				Metric.newBuilder().setName("updown").setSum(Sum.newBuilder().setIsMonotonic(false)
					.setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
					.addDataPoints(point(-4, T))).build());
		assertThat(named("c_total")).extracting(Appended::v).containsExactly(2.0, 5.0);
		assertThat(named("updown")).extracting(Appended::v).containsExactly(-4.0);
	}

}
