package dev.vigil.telemetry.otlp;

import static dev.vigil.telemetry.otlp.MetricsTranslatorTest.kv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.vigil.telemetry.tsdb.Labels;
import dev.vigil.telemetry.tsdb.SeriesData;
import dev.vigil.telemetry.tsdb.Storage;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
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
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The serialized-bytes path ({@link MetricsTranslator#translate(byte[], int, int, SampleSink)}) against the
 * translation of parsed messages, on the same bytes: every append (labels, time, value bits, in order), every result
 * (stored, rejected, messages), data point counts, exemplars and the storage's contents must be identical, over
 * rounds in which the fast path finds its series by their raw bytes.
 */
class RawMetricsPathTest {

	private static final long T = 1_700_000_000_000L;

	/** One side of the comparison: its own translator, storage and record of appends. */
	private static final class Side implements SampleSink {

		final ExemplarStore exemplars = new ExemplarStore(10, 10_000);
		final MetricsTranslator translator;
		final Storage storage = Storage.inMemory();
		final StorageSink sink = new StorageSink(storage);
		final List<String> appends = new ArrayList<>();

		Side(int maxSeriesPerRequest) {
			translator = new MetricsTranslator(maxSeriesPerRequest, 1000, exemplars);
		}

		@Override
		public boolean append(Labels labels, long t, double v) {
			return record(labels, t, v, sink.append(labels, t, v));
		}

		@Override
		public Object seriesRef(Labels labels) {
			return sink.seriesRef(labels);
		}

		@Override
		public boolean append(Object ref, Labels labels, long t, double v) {
			return record(labels, t, v, sink.append(ref, labels, t, v));
		}

		private boolean record(Labels labels, long t, double v, boolean ok) {
			appends.add(labels + " " + t + " " + Long.toHexString(Double.doubleToRawLongBits(v)) + " " + ok);
			return ok;
		}

		Map<String, String> stored() {
			Map<String, String> out = new TreeMap<>();
			for (SeriesData d : storage.select(Long.MIN_VALUE, Long.MAX_VALUE, List.of())) {
				StringBuilder sb = new StringBuilder();
				for (int i = 0; i < d.size(); i++) {
					sb.append(d.timestamps()[i]).append('=')
						.append(Long.toHexString(Double.doubleToRawLongBits(d.values()[i]))).append(' ');
				}
				out.put(d.labels().toString(), sb.toString());
			}
			return out;
		}

		String exemplarText() {
			List<String> out = new ArrayList<>();
			exemplars.select(Long.MIN_VALUE, Long.MAX_VALUE, List.of()).forEach((l, es) -> out.add(l + " " + es));
			out.sort(Comparator.naturalOrder());
			return String.join("\n", out);
		}

	}

	private final Side parsed = new Side(50_000);
	private final Side raw = new Side(50_000);

	/** Feeds the same bytes to both sides and compares what each did. */
	private void check(Side parsedSide, Side rawSide, byte[] bytes) throws InvalidProtocolBufferException {
		ExportMetricsServiceRequest request = ExportMetricsServiceRequest.parseFrom(bytes);
		MetricsTranslator.Result expected = parsedSide.translator.translate(request, parsedSide);
		MetricsTranslator.Decoded actual = rawSide.translator.translate(bytes, 0, bytes.length, rawSide);
		assertThat(actual.result()).isEqualTo(expected);
		assertThat(actual.dataPoints()).isEqualTo(MetricsTranslator.countDataPoints(request));
		assertThat(rawSide.appends).containsExactlyElementsOf(parsedSide.appends);
		assertThat(rawSide.stored()).isEqualTo(parsedSide.stored());
		assertThat(rawSide.exemplarText()).isEqualTo(parsedSide.exemplarText());
		assertThat(rawSide.storage.stats()).isEqualTo(parsedSide.storage.stats());
	}

	private void check(byte[] bytes) throws InvalidProtocolBufferException {
		check(parsed, raw, bytes);
	}

	@Test
	void shouldStoreExactlyWhatTheTranslationOfParsedMessagesStoresForARichCorpus() throws Exception {
		// round 4 sends the points in another order: found in the index instead of at their usual positions
		for (int round = 0; round < 6; round++) {
			check(corpus(round).toByteArray());
		}
		assertThat(raw.appends).hasSizeGreaterThan(400);
		// the later rounds went through the raw-bytes index, or this test would prove nothing
		assertThat(raw.translator.fastPathDataPoints()).isGreaterThan(150);
	}

	@Test
	void shouldAgreeOnEncodingsNoSdkWrites() throws Exception {
		for (int round = 0; round < 3; round++) {
			check(handEncoded(round));
		}
		assertThat(raw.translator.fastPathDataPoints()).isPositive();
	}

	@Test
	void shouldLeaveRequestsThatMayExceedTheSeriesLimitToTheTranslator() throws Exception {
		Side smallParsed = new Side(50);
		Side smallRaw = new Side(50);
		for (int round = 0; round < 2; round++) {
			check(smallParsed, smallRaw, corpus(round).toByteArray());
		}
		assertThat(smallRaw.translator.fastPathDataPoints()).isZero();
		assertThat(smallRaw.appends).isNotEmpty();
	}

	@Test
	void shouldRejectMalformedBytesAndStoreNothingFromThem() throws Exception {
		byte[] good = corpus(0).toByteArray();
		check(good);
		long before = raw.appends.size();
		byte[] next = corpus(1).toByteArray();
		// cut short in the middle of the last data point, after all the points the index knows
		assertMalformed(Arrays.copyOf(next, next.length - 3));
		// invalid UTF-8 in a metric description, which the walk skips
		byte[] badUtf8 = requestWithDescription(new byte[] { 'o', 'k', (byte) 0xC3, (byte) 0x28 });
		assertMalformed(badUtf8);
		// a length that runs past the end
		assertMalformed(new byte[] { 0x0a, (byte) 0xff, (byte) 0xff, 0x01 });
		assertThat(raw.appends).hasSize((int) before);
		check(next);
	}

	private void assertMalformed(byte[] bytes) {
		assertThatThrownBy(() -> ExportMetricsServiceRequest.parseFrom(bytes))
			.isInstanceOf(InvalidProtocolBufferException.class);
		assertThatThrownBy(() -> raw.translator.translate(bytes, 0, bytes.length, raw))
			.isInstanceOf(InvalidProtocolBufferException.class);
	}

	private static byte[] requestWithDescription(byte[] description) throws IOException {
		Metric m = gaugeMetric("described", T, 1);
		byte[] metric = concat(m.toByteArray(), field(2, description));
		byte[] scope = field(2, metric);
		byte[] rm = concat(field(1, resource("svc", "i-1", true).toByteArray()), field(2, scope));
		return field(1, rm);
	}

	private static Metric gaugeMetric(String name, long t, double v) {
		return Metric.newBuilder().setName(name).setGauge(Gauge.newBuilder().addDataPoints(number(t, v,
				kv("k", "v")))).build();
	}

	private static Resource resource(String service, String instance, boolean extra) {
		Resource.Builder b = Resource.newBuilder();
		if (service != null) {
			b.addAttributes(kv("service.name", service));
		}
		if (instance != null) {
			b.addAttributes(kv("service.instance.id", instance));
		}
		if (extra) {
			b.addAttributes(kv("host.name", "h1"))
				.addAttributes(KeyValue.newBuilder().setKey("process.pid")
					.setValue(AnyValue.newBuilder().setIntValue(4242)))
				.addAttributes(KeyValue.newBuilder().setKey("cloud.flag")
					.setValue(AnyValue.newBuilder().setBoolValue(true)));
		}
		return b.build();
	}

	private static NumberDataPoint number(long t, double v, KeyValue... attrs) {
		return NumberDataPoint.newBuilder().setTimeUnixNano(t * 1_000_000).setStartTimeUnixNano(1)
			.setAsDouble(v).addAllAttributes(List.of(attrs)).build();
	}

	private static KeyValue any(String key, AnyValue.Builder v) {
		return KeyValue.newBuilder().setKey(key).setValue(v).build();
	}

	/** Attribute sets of every value type, with keys out of order and keys that sanitize to the same name. */
	private static List<KeyValue[]> attributeSets() {
		return List.of(new KeyValue[0],
				new KeyValue[] { kv("http.route", "/a"), kv("http.method", "GET") },
				new KeyValue[] { kv("http.route", "/b"), kv("http.method", "GET") },
				new KeyValue[] { any("code", AnyValue.newBuilder().setIntValue(200)),
						any("ratio", AnyValue.newBuilder().setDoubleValue(0.25)),
						any("ok", AnyValue.newBuilder().setBoolValue(false)) },
				new KeyValue[] { any("tags", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
					.addValues(AnyValue.newBuilder().setStringValue("a\"b"))
					.addValues(AnyValue.newBuilder().setIntValue(3)))),
						any("kv", AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
							.addValues(kv("x", "y")))),
						any("raw", AnyValue.newBuilder().setBytesValue(ByteString.copyFromUtf8("bytes"))) },
				new KeyValue[] { kv("a.b", "1"), kv("a/b", "2"), kv("z", "") },
				new KeyValue[] { kv("job", "overridden"), kv("instance", "overridden"), kv("le", "x") });
	}

	/** One request of everything the translator knows about; values and times move with the round. */
	static ExportMetricsServiceRequest corpus(int round) {
		long t = T + round * 15_000L;
		List<KeyValue[]> sets = new ArrayList<>(attributeSets());
		if (round == 4) {
			java.util.Collections.reverse(sets);
		}
		ScopeMetrics.Builder first = ScopeMetrics.newBuilder()
			.setScope(InstrumentationScope.newBuilder().setName("lib.one").setVersion("1"));
		ScopeMetrics.Builder second = ScopeMetrics.newBuilder()
			.setScope(InstrumentationScope.newBuilder().setName("lib.two"));
		Sum.Builder counter = Sum.newBuilder().setIsMonotonic(true)
			.setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
		Sum.Builder upDown = Sum.newBuilder().setIsMonotonic(false)
			.setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
		Sum.Builder delta = Sum.newBuilder().setIsMonotonic(true)
			.setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA);
		Gauge.Builder gauge = Gauge.newBuilder();
		Gauge.Builder intGauge = Gauge.newBuilder();
		for (int i = 0; i < sets.size(); i++) {
			KeyValue[] a = sets.get(i);
			counter.addDataPoints(number(t, 10.0 * round + i, a));
			upDown.addDataPoints(number(t, i - round, a));
			delta.addDataPoints(number(t, round + i, a));
			gauge.addDataPoints(number(t, round % 2 == 0 ? Double.NaN : 0.5 * i, a));
			intGauge.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(t * 1_000_000).setAsInt(-i * round)
				.addAllAttributes(List.of(a)));
		}
		// staleness: flagged with and without a value; a counter whose series goes stale in round 2
		gauge.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(t * 1_000_000).setFlags(1)
			.addAttributes(kv("state", "gone")));
		counter.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(t * 1_000_000).setAsDouble(round)
			.setFlags(round == 2 ? 1 : 0).addAttributes(kv("state", "flapping")));
		// rejections: no timestamp, no value, a negative delta, a repeated series with another value, an exemplar
		gauge.addDataPoints(NumberDataPoint.newBuilder().setAsDouble(1).addAttributes(kv("bad", "no-time")));
		gauge.addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(t * 1_000_000).addAttributes(kv("bad", "no-value")));
		delta.addDataPoints(number(t, -1, kv("bad", "negative")));
		upDown.addDataPoints(number(t, 99, sets.get(1)));
		counter.addDataPoints(number(t, round, kv("with", "exemplar")).toBuilder()
			.addExemplars(Exemplar.newBuilder().setTimeUnixNano(t * 1_000_000).setAsDouble(round)
				.setTraceId(ByteString.copyFrom(new byte[16])).setSpanId(ByteString.copyFrom(new byte[8]))
				.addFilteredAttributes(kv("user", "u" + round))));
		first.addMetrics(Metric.newBuilder().setName("http.server.duration").setUnit("s").setSum(counter));
		first.addMetrics(Metric.newBuilder().setName("queue.depth").setUnit("{item}").setSum(upDown));
		first.addMetrics(Metric.newBuilder().setName("bytes.sent").setUnit("By").setSum(delta));
		second.addMetrics(Metric.newBuilder().setName("cpu.utilization").setUnit("1").setGauge(gauge));
		second.addMetrics(Metric.newBuilder().setName("temperature").setGauge(intGauge));
		second.addMetrics(histogramMetric("request.latency", AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE,
				t, round, sets));
		second.addMetrics(histogramMetric("batch.size", AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, t, round,
				sets.subList(0, 3)));
		second.addMetrics(Metric.newBuilder().setName("rpc.latency").setUnit("ms").setSummary(Summary.newBuilder()
			.addDataPoints(SummaryDataPoint.newBuilder().setTimeUnixNano(t * 1_000_000).setCount(2 + round)
				.setSum(3.5 * round).addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder()
					.setQuantile(0.99).setValue(round)))));
		second.addMetrics(Metric.newBuilder().setName("exp").setExponentialHistogram(ExponentialHistogram.newBuilder()
			.setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
			.addDataPoints(ExponentialHistogramDataPoint.newBuilder().setTimeUnixNano(t * 1_000_000))));
		second.addMetrics(Metric.newBuilder().setName("unspecified").setSum(Sum.newBuilder()
			.addDataPoints(number(t, 1))));
		second.addMetrics(Metric.newBuilder().setName("").setGauge(Gauge.newBuilder().addDataPoints(number(t, 1))));
		second.addMetrics(Metric.newBuilder().setName("no.data"));
		return ExportMetricsServiceRequest.newBuilder()
			.addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource("shop", "i-1", true))
				.addScopeMetrics(first).addScopeMetrics(second))
			// same metrics from a resource without extra attributes (no target_info) and one without identity
			.addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource("shop", null, false))
				.addScopeMetrics(first))
			.addResourceMetrics(ResourceMetrics.newBuilder().setResource(resource(null, null, true))
				.addScopeMetrics(second))
			.addResourceMetrics(ResourceMetrics.newBuilder().addScopeMetrics(first))
			.build();
	}

	private static Metric histogramMetric(String name, AggregationTemporality temporality, long t, int round,
			List<KeyValue[]> sets) {
		Histogram.Builder h = Histogram.newBuilder().setAggregationTemporality(temporality);
		for (int i = 0; i < sets.size(); i++) {
			HistogramDataPoint.Builder p = HistogramDataPoint.newBuilder().setTimeUnixNano(t * 1_000_000)
				.addAllAttributes(List.of(sets.get(i)));
			// bounds change in round 3 for one series (a reconfigured SDK)
			double[] bounds = i == 1 && round == 3 ? new double[] { 0.5, 1 } : new double[] { 0.1, 0.5, 1 };
			long total = 0;
			for (double b : bounds) {
				p.addExplicitBounds(b);
			}
			for (int k = 0; k <= bounds.length; k++) {
				p.addBucketCounts(round + k);
				total += round + k;
			}
			p.setCount(total);
			if (i % 2 == 0) {
				p.setSum(1.5 * round);
			}
			if (i == 2) {
				p.clearBucketCounts(); // counts without buckets: _sum, _count and +Inf only
			}
			if (i == 3) {
				p.setFlags(round == 1 ? 1 : 0);
			}
			if (i == 4) {
				p.addExemplars(Exemplar.newBuilder().setAsDouble(0.3).setTimeUnixNano(t * 1_000_000));
			}
			h.addDataPoints(p);
		}
		if (temporality == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE) {
			// invalid: bounds not increasing, and too few bucket counts
			h.addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(t * 1_000_000).addExplicitBounds(2)
				.addExplicitBounds(1).addBucketCounts(1).addBucketCounts(1).addBucketCounts(1)
				.addAttributes(kv("bad", "bounds")));
			h.addDataPoints(HistogramDataPoint.newBuilder().setTimeUnixNano(t * 1_000_000).addExplicitBounds(1)
				.addBucketCounts(1).addAttributes(kv("bad", "counts")));
		}
		return Metric.newBuilder().setName(name).setUnit("ms").setHistogram(h).build();
	}

	/**
	 * A request in an order no SDK writes but protobuf allows: the resource after the metrics, data point fields in
	 * reverse order with the attributes split by other fields, unknown fields, repeated scalar fields (the last
	 * wins) and unpacked histogram counts.
	 */
	private static byte[] handEncoded(int round) throws IOException {
		long t = (T + round * 15_000L) * 1_000_000;
		byte[] pointReversed = concat(varintField(8, 0), fixed64Field(4, Double.doubleToRawLongBits(round + 0.5)),
				field(7, kv("b", "2").toByteArray()), field(7, kv("a", "1").toByteArray()), fixed64Field(3, t));
		byte[] pointSplit = concat(field(7, kv("a", "1").toByteArray()), fixed64Field(3, t),
				field(7, kv("c", "3").toByteArray()), fixed64Field(4, Double.doubleToRawLongBits(round)));
		byte[] pointUnknown = concat(field(7, kv("u", "1").toByteArray()), varintField(99, 7), fixed64Field(3, 1),
				fixed64Field(3, t), fixed64Field(4, Double.doubleToRawLongBits(1)), fixed64Field(6, round));
		byte[] sum = concat(field(1, pointReversed), field(1, pointUnknown), varintField(3, 1), varintField(2, 1),
				varintField(2, 2));
		byte[] counter = concat(field(7, sum), stringField(3, "s"), stringField(1, "hand.made"));
		// split attributes are no key: this metric is always translated from parsed messages
		byte[] split = concat(stringField(1, "hand.split"), field(5, field(1, pointSplit)));
		byte[] unpacked = concat(field(9, kv("h", "1").toByteArray()), fixed64Field(3, t), fixed64Field(4, 2 + round),
				fixed64Field(6, 1), fixed64Field(6, 1 + round), fixed64Field(7, Double.doubleToRawLongBits(1.0)));
		byte[] histogram = concat(stringField(1, "hand.hist"),
				field(9, concat(field(1, unpacked), varintField(2, 2))));
		byte[] scope = concat(stringField(3, "https://schema"), field(2, counter), field(2, split), field(2, histogram),
				field(1, InstrumentationScope.newBuilder().setName("s").build().toByteArray()));
		byte[] rm = concat(field(2, scope), varintField(77, 1), field(1, resource("hand", "h-1", true).toByteArray()));
		return concat(field(1, rm), varintField(5, 3));
	}

	private interface Writing {

		void write(CodedOutputStream out) throws IOException;

	}

	private static byte[] encoded(Writing w) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		CodedOutputStream out = CodedOutputStream.newInstance(bytes);
		w.write(out);
		out.flush();
		return bytes.toByteArray();
	}

	private static byte[] field(int number, byte[] payload) throws IOException {
		return encoded(out -> out.writeByteArray(number, payload));
	}

	private static byte[] stringField(int number, String s) throws IOException {
		return field(number, s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	private static byte[] varintField(int number, long v) throws IOException {
		return encoded(out -> out.writeUInt64(number, v));
	}

	private static byte[] fixed64Field(int number, long v) throws IOException {
		return encoded(out -> out.writeFixed64(number, v));
	}

	private static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] p : parts) {
			out.writeBytes(p);
		}
		return out.toByteArray();
	}

}
