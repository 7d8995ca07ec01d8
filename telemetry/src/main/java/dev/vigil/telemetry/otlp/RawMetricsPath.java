package dev.vigil.telemetry.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.vigil.telemetry.otlp.MetricsTranslator.Decoded;
import dev.vigil.telemetry.otlp.MetricsTranslator.HistogramSeries;
import dev.vigil.telemetry.otlp.MetricsTranslator.Identity;
import dev.vigil.telemetry.otlp.MetricsTranslator.Request;
import dev.vigil.telemetry.otlp.wire.ProtoCursor;
import dev.vigil.telemetry.tsdb.Labels;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@link MetricsTranslator#translate(byte[], int, int, SampleSink)}: translation of serialized OTLP metrics requests
 * in two passes over the bytes.
 *
 * <p>The first pass walks the wire format (field numbers from opentelemetry-proto's {@code metrics.proto},
 * {@code metrics_service.proto}) and, for each data point of a gauge, sum or explicit-bucket histogram, looks its
 * series up in a {@link RawSeriesIndex} by the raw bytes of its attributes. A metric whose points all hit, and that
 * has nothing the fast path leaves to the translator (exemplars, summaries, missing timestamps or values, unusual
 * encodings), is appended from the walked values through the translator's own per-sample code
 * ({@link MetricsTranslator#numberSample}, {@link MetricsTranslator#histogramSamples}). Any other metric is parsed
 * with protobuf-java and translated by {@link MetricsTranslator#translateMetric}, after which the series it created
 * are indexed by their raw bytes for the next request. Series labels therefore always come from the translator.
 *
 * <p>Nothing is appended before the whole request has been walked and every part the walk does not check was parsed
 * by protobuf-java, so a malformed request stores nothing. Bytes the walk does not handle at all go to
 * protobuf-java as a whole request, which decides whether they are valid.
 */
final class RawMetricsPath {

	// ExportMetricsServiceRequest
	private static final int RESOURCE_METRICS = 1;
	// ResourceMetrics and ScopeMetrics
	private static final int RESOURCE = 1;
	private static final int SCOPE = 1;
	private static final int SCOPE_METRICS = 2;
	private static final int METRICS = 2;
	private static final int SCHEMA_URL = 3;
	// Metric
	private static final int NAME = 1;
	private static final int DESCRIPTION = 2;
	private static final int UNIT = 3;
	private static final int GAUGE = 5;
	private static final int SUM = 7;
	private static final int HISTOGRAM = 9;
	private static final int EXPONENTIAL_HISTOGRAM = 10;
	private static final int SUMMARY = 11;
	private static final int METADATA = 12;
	// Gauge, Sum, Histogram
	private static final int DATA_POINTS = 1;
	private static final int TEMPORALITY = 2;
	private static final int MONOTONIC = 3;
	private static final int TEMPORALITY_UNSPECIFIED = 0;
	private static final int TEMPORALITY_DELTA = 1;
	// NumberDataPoint
	private static final int NP_TIME = 3;
	private static final int NP_AS_DOUBLE = 4;
	private static final int NP_EXEMPLARS = 5;
	private static final int NP_AS_INT = 6;
	private static final int NP_ATTRIBUTES = 7;
	private static final int NP_FLAGS = 8;
	// HistogramDataPoint
	private static final int HP_TIME = 3;
	private static final int HP_COUNT = 4;
	private static final int HP_SUM = 5;
	private static final int HP_BUCKET_COUNTS = 6;
	private static final int HP_BOUNDS = 7;
	private static final int HP_EXEMPLARS = 8;
	private static final int HP_ATTRIBUTES = 9;
	private static final int HP_FLAGS = 10;

	// point flags
	private static final int STALE = 1;
	private static final int HAS_VALUE = 2;
	private static final int HAS_SUM = 4;
	// attributes in one run of bytes (not interleaved with other fields), so the run is the point's key
	private static final int KEYED = 8;
	private static final int FAST = 16;
	// found at its position in the metric's sequence
	private static final int IN_SEQUENCE = 32;

	private static final int MAX_RESOURCES = 10_000;
	private static final int MAX_CONTEXTS = 100_000;
	// points kept in sequences over all contexts, the same bound as the index's
	private final int maxSequencePoints;
	private final java.util.concurrent.atomic.AtomicLong sequencePoints = new java.util.concurrent.atomic.AtomicLong();

	private final MetricsTranslator translator;
	private final RawSeriesIndex index;
	private final ConcurrentHashMap<Bytes, ResourceInfo> resources = new ConcurrentHashMap<>();
	private final ConcurrentHashMap<MetricKey, MetricContext> contexts = new ConcurrentHashMap<>();
	private final ThreadLocal<Walk> walks = ThreadLocal.withInitial(Walk::new);
	private final LongAdder fastPoints = new LongAdder();

	RawMetricsPath(MetricsTranslator translator, int maxSeries) {
		this.translator = translator;
		this.index = new RawSeriesIndex(maxSeries);
		this.maxSequencePoints = maxSeries;
	}

	/** A resource's identity labels and target_info, per distinct serialized resource. */
	private record ResourceInfo(Identity id, Labels targetInfo) {
	}

	/** What decides a metric's series names: compared by the resource's identity, so per serialized resource. */
	private record MetricKey(ResourceInfo resource, String name, String unit, int type, int temporality,
			boolean monotonic) {
	}

	/** A metric the fast path can append to; the context of its entries in the index. */
	private static final class MetricContext {

		final ResourceInfo resource;
		final String otelName;
		final String prom;
		final boolean histogram;
		final boolean delta;
		final boolean monotonic;
		// the series of the metric's points in the order of the last request, which an SDK repeats every export
		volatile Sequence sequence;

		MetricContext(ResourceInfo resource, String otelName, String prom, boolean histogram, boolean delta,
				boolean monotonic) {
			this.resource = resource;
			this.otelName = otelName;
			this.prom = prom;
			this.histogram = histogram;
			this.delta = delta;
			this.monotonic = monotonic;
		}

	}

	/**
	 * The attribute bytes (one after another in {@code keys}, point {@code k} ending at {@code ends[k]}) and series
	 * of a metric's points, in request order: a point is first compared with the one at its position, a walk through
	 * memory in order instead of a hash and a probe into the index per point. Immutable.
	 */
	private record Sequence(byte[] keys, int[] ends, Object[] series) {

		boolean matches(int k, byte[] buf, int from, int to) {
			return k < series.length && Arrays.equals(buf, from, to, keys, k == 0 ? 0 : ends[k - 1], ends[k]);
		}

	}

	/**
	 * Thrown by the walk for bytes it leaves to protobuf-java as a whole request (which decides whether they are
	 * valid): a repeated resource, invalid UTF-8, a group. Preallocated: a signal, not an error report.
	 */
	private static final class LeaveToProtobuf extends RuntimeException {

		private static final long serialVersionUID = 1L;

		private LeaveToProtobuf() {
			super("left to protobuf-java", null, false, false);
		}

	}

	private static final LeaveToProtobuf LEAVE_TO_PROTOBUF = new LeaveToProtobuf();

	/** Marks metrics whose header the translator must see (it reports the error, or the type is not fast). */
	private static final MetricContext NOT_FAST = new MetricContext(null, "", "", false, false, false);

	Decoded translate(byte[] buf, int offset, int length, SampleSink sink) throws InvalidProtocolBufferException {
		Walk w = walks.get();
		w.reset();
		try {
			walkRequest(new ProtoCursor(buf, offset, length), w);
		}
		catch (LeaveToProtobuf | InvalidProtocolBufferException e) {
			w.reset();
			return wholeRequest(buf, offset, length, sink);
		}
		if (translator.mayExceedSeriesLimit(w.maxSeries)) {
			// per-series accounting across the request: rare, left to the translator
			w.reset();
			return wholeRequest(buf, offset, length, sink);
		}
		try {
			Request r = translator.newRequest(sink, false);
			append(w, buf, r);
			return new Decoded(r.result(), w.dataPoints);
		}
		finally {
			w.reset();
		}
	}

	private Decoded wholeRequest(byte[] buf, int offset, int length, SampleSink sink)
			throws InvalidProtocolBufferException {
		ExportMetricsServiceRequest request = ExportMetricsServiceRequest.parser().parseFrom(buf, offset, length);
		return new Decoded(translator.translate(request, sink), MetricsTranslator.countDataPoints(request));
	}

	// ---- second pass: appends, in request order

	/** Data points appended without the translator's parsing and lookups, for tests and self-monitoring. */
	long fastPoints() {
		return fastPoints.sum();
	}

	private void append(Walk w, byte[] buf, Request r) {
		int fast = 0;
		int m = 0;
		for (int ri = 0; ri < w.resources; ri++) {
			ResourceInfo res = w.resourceInfo[ri];
			long latest = 0;
			for (; m < w.resourceEnd[ri]; m++) {
				Metric parsed = w.parsed[m];
				if (parsed != null) {
					latest = Math.max(latest, translator.translateMetric(parsed, res.id().job(), res.id().instance(), r));
					remember(w, m, parsed, buf);
					continue;
				}
				MetricContext ctx = w.context[m];
				fast += w.firstPoint[m + 1] - w.firstPoint[m];
				for (int p = w.firstPoint[m]; p < w.firstPoint[m + 1]; p++) {
					long t = w.time[p] / 1_000_000;
					boolean stale = (w.flags[p] & STALE) != 0;
					boolean stored;
					if (ctx.histogram) {
						stored = translator.histogramSamples((HistogramSeries) w.series[p], t, stale, ctx.delta,
								(w.flags[p] & HAS_SUM) != 0, w.value[p], w.count[p], w.buckets, w.bucketsAt[p],
								w.bucketCount[p], r, ctx.otelName) >= 0;
					}
					else {
						stored = translator.numberSample((CachedSeries) w.series[p], t, w.value[p], stale, ctx.delta,
								ctx.monotonic, r, ctx.otelName);
					}
					if (stored) {
						latest = Math.max(latest, t);
					}
				}
			}
			translator.addTargetInfo(res.targetInfo(), latest, r);
		}
		fastPoints.add(fast);
	}

	/** Indexes the series the translator has just created or used for a metric's points by their raw attributes. */
	private void remember(Walk w, int m, Metric parsed, byte[] buf) {
		MetricContext ctx = w.context[m];
		if (ctx == null || ctx == NOT_FAST) {
			return;
		}
		int first = w.firstPoint[m];
		int n = w.firstPoint[m + 1] - first;
		List<? extends Object> points = ctx.histogram ? parsed.getHistogram().getDataPointsList()
				: parsed.getDataCase() == Metric.DataCase.GAUGE ? parsed.getGauge().getDataPointsList()
						: parsed.getSum().getDataPointsList();
		if (points.size() != n) {
			return;
		}
		Identity id = ctx.resource.id();
		Object seriesContext = translator.seriesContext(id.job(), id.instance(), ctx.prom, ctx.histogram);
		for (int k = 0; k < n; k++) {
			int p = first + k;
			if ((w.flags[p] & KEYED) == 0) {
				continue;
			}
			Object point = points.get(k);
			List<KeyValue> attrs = ctx.histogram
					? ((io.opentelemetry.proto.metrics.v1.HistogramDataPoint) point).getAttributesList()
					: ((io.opentelemetry.proto.metrics.v1.NumberDataPoint) point).getAttributesList();
			Object series = translator.cachedSeries(seriesContext, attrs);
			if (series != null) {
				index.put(ctx, buf, w.attrFrom[p], w.attrTo[p], series);
			}
		}
	}

	// ---- first pass: the walk

	private void walkRequest(ProtoCursor c, Walk w) throws InvalidProtocolBufferException {
		while (c.hasMore()) {
			int tag = c.tag();
			if (tag == (RESOURCE_METRICS << 3 | ProtoCursor.LEN)) {
				int end = c.lengthEnd();
				walkResourceMetrics(c, end, w);
			}
			else {
				skip(c, tag);
			}
		}
	}

	private void walkResourceMetrics(ProtoCursor c, int end, Walk w) throws InvalidProtocolBufferException {
		int start = c.pos;
		int saved = c.enter(end);
		// the resource decides the series names, and may come after the metrics in the bytes: find it first
		int resFrom = 0;
		int resTo = 0;
		boolean seen = false;
		while (c.hasMore()) {
			int tag = c.tag();
			if (tag == (RESOURCE << 3 | ProtoCursor.LEN)) {
				if (seen) {
					throw LEAVE_TO_PROTOBUF; // repeated: protobuf merges them
				}
				seen = true;
				resTo = c.lengthEnd();
				resFrom = c.pos;
				c.pos = resTo;
			}
			else if (tag == (SCHEMA_URL << 3 | ProtoCursor.LEN)) {
				skipString(c);
			}
			else {
				skip(c, tag);
			}
		}
		ResourceInfo res = resource(c.buf, resFrom, resTo);
		w.maxSeries++; // target_info
		c.pos = start;
		while (c.hasMore()) {
			int tag = c.tag();
			if (tag == (SCOPE_METRICS << 3 | ProtoCursor.LEN)) {
				int smEnd = c.lengthEnd();
				walkScopeMetrics(c, smEnd, w, res);
			}
			else {
				skip(c, tag);
			}
		}
		c.leave(saved);
		w.endResource(res);
	}

	private void walkScopeMetrics(ProtoCursor c, int end, Walk w, ResourceInfo res)
			throws InvalidProtocolBufferException {
		int saved = c.enter(end);
		while (c.hasMore()) {
			int tag = c.tag();
			if (tag == (METRICS << 3 | ProtoCursor.LEN)) {
				int mEnd = c.lengthEnd();
				walkMetric(c, mEnd, w, res);
			}
			else if (tag == (SCOPE << 3 | ProtoCursor.LEN)) {
				// not translated, but protobuf-java would reject a malformed one
				int sEnd = c.lengthEnd();
				InstrumentationScope.parser().parseFrom(c.buf, c.pos, sEnd - c.pos);
				c.pos = sEnd;
			}
			else if (tag == (SCHEMA_URL << 3 | ProtoCursor.LEN)) {
				skipString(c);
			}
			else {
				skip(c, tag);
			}
		}
		c.leave(saved);
	}

	private void walkMetric(ProtoCursor c, int end, Walk w, ResourceInfo res) throws InvalidProtocolBufferException {
		int start = c.pos;
		int saved = c.enter(end);
		int nameFrom = 0;
		int nameTo = 0;
		int unitFrom = 0;
		int unitTo = 0;
		int type = 0;
		int dataFrom = 0;
		int dataTo = 0;
		int dataFields = 0;
		boolean unusual = false;
		while (c.hasMore()) {
			int tag = c.tag();
			if ((tag & 7) != ProtoCursor.LEN) {
				skip(c, tag);
				continue;
			}
			int field = tag >>> 3;
			int fEnd = c.lengthEnd();
			switch (field) {
				case NAME -> {
					nameFrom = c.pos;
					nameTo = fEnd;
				}
				case UNIT -> {
					unitFrom = c.pos;
					unitTo = fEnd;
				}
				case DESCRIPTION -> unusual |= !validUtf8(c.buf, c.pos, fEnd);
				case GAUGE, SUM, HISTOGRAM, EXPONENTIAL_HISTOGRAM, SUMMARY -> {
					type = field;
					dataFrom = c.pos;
					dataTo = fEnd;
					dataFields++;
				}
				case METADATA -> unusual = true;
				default -> {
				}
			}
			c.pos = fEnd;
		}
		c.leave(saved);
		int m = w.startMetric();
		MetricContext ctx = NOT_FAST;
		if (!unusual && dataFields == 1 && (type == GAUGE || type == SUM || type == HISTOGRAM)
				&& validUtf8(c.buf, nameFrom, nameTo) && validUtf8(c.buf, unitFrom, unitTo)) {
			ctx = context(c, res, type, nameFrom, nameTo, unitFrom, unitTo, dataFrom, dataTo);
		}
		w.context[m] = ctx;
		boolean fast = ctx != NOT_FAST;
		long maxSeries = 0;
		if (fast) {
			int savedPos = c.pos;
			c.pos = dataFrom;
			int savedLimit = c.enter(dataTo);
			Sequence seq = ctx.sequence;
			boolean inSequence = seq != null;
			int k = 0;
			while (c.hasMore()) {
				int tag = c.tag();
				if (tag == (DATA_POINTS << 3 | ProtoCursor.LEN)) {
					int pEnd = c.lengthEnd();
					Sequence expected = inSequence ? seq : null;
					int p = ctx.histogram ? walkHistogramPoint(c, pEnd, w, ctx, expected, k)
							: walkNumberPoint(c, pEnd, w, ctx, expected, k);
					fast &= (w.flags[p] & FAST) != 0;
					inSequence &= (w.flags[p] & IN_SEQUENCE) != 0;
					maxSeries += ctx.histogram ? w.boundCount[p] + 3L : 1;
					k++;
				}
				else {
					skip(c, tag);
				}
			}
			c.leave(savedLimit);
			c.pos = savedPos;
			if (fast && (!inSequence || k != seq.series().length)) {
				newSequence(ctx, w, c.buf, m, k);
			}
		}
		w.endMetric(m);
		if (fast) {
			w.dataPoints += w.firstPoint[m + 1] - w.firstPoint[m];
			w.maxSeries += maxSeries;
		}
		else {
			// parsed now rather than in the second pass: a malformed metric must fail the request before any append
			Metric parsed = Metric.parser().parseFrom(c.buf, start, end - start);
			w.parsed[m] = parsed;
			w.dataPoints += MetricsTranslator.dataPointCount(parsed);
			w.maxSeries += MetricsTranslator.maxSeries(parsed);
		}
	}

	/** Remembers the order of the points just walked (all found) for the metric's next request. */
	private void newSequence(MetricContext ctx, Walk w, byte[] buf, int m, int n) {
		Sequence old = ctx.sequence;
		long delta = n - (old == null ? 0 : old.series().length);
		if (sequencePoints.get() + delta > maxSequencePoints) {
			return;
		}
		sequencePoints.addAndGet(delta);
		int first = w.firstPoint[m];
		int[] ends = new int[n];
		int size = 0;
		for (int k = 0; k < n; k++) {
			size += w.attrTo[first + k] - w.attrFrom[first + k];
			ends[k] = size;
		}
		byte[] keys = new byte[size];
		Object[] series = new Object[n];
		for (int k = 0; k < n; k++) {
			int p = first + k;
			System.arraycopy(buf, w.attrFrom[p], keys, k == 0 ? 0 : ends[k - 1], w.attrTo[p] - w.attrFrom[p]);
			series[k] = w.series[p];
		}
		ctx.sequence = new Sequence(keys, ends, series);
	}

	/** The fast-path context of a metric, or NOT_FAST when the translator must handle it. */
	private MetricContext context(ProtoCursor c, ResourceInfo res, int type, int nameFrom, int nameTo, int unitFrom,
			int unitTo, int dataFrom, int dataTo) throws InvalidProtocolBufferException {
		int temporality = 0;
		boolean monotonic = false;
		int savedPos = c.pos;
		c.pos = dataFrom;
		int saved = c.enter(dataTo);
		while (c.hasMore()) {
			int tag = c.tag();
			if (type != GAUGE && tag == (TEMPORALITY << 3 | ProtoCursor.VARINT)) {
				temporality = (int) c.varint();
			}
			else if (type == SUM && tag == (MONOTONIC << 3 | ProtoCursor.VARINT)) {
				monotonic = c.varint() != 0;
			}
			else {
				skip(c, tag);
			}
		}
		c.leave(saved);
		c.pos = savedPos;
		MetricKey key = new MetricKey(res, string(c.buf, nameFrom, nameTo), string(c.buf, unitFrom, unitTo), type,
				temporality, monotonic);
		MetricContext ctx = contexts.get(key);
		if (ctx == null) {
			if (contexts.size() >= MAX_CONTEXTS) {
				forgetAll();
			}
			ctx = contexts.computeIfAbsent(key, RawMetricsPath::newContext);
		}
		return ctx;
	}

	// the checks of MetricsTranslator.translateMetric that end in a rejection leave the metric to it
	private static MetricContext newContext(MetricKey k) {
		Metric.DataCase dataCase = k.type() == GAUGE ? Metric.DataCase.GAUGE
				: k.type() == SUM ? Metric.DataCase.SUM : Metric.DataCase.HISTOGRAM;
		if (k.name().isEmpty() || PrometheusNaming.metricName(k.name(), k.unit(), PrometheusNaming.Kind.GAUGE).isEmpty()
				|| (dataCase != Metric.DataCase.GAUGE && k.temporality() == TEMPORALITY_UNSPECIFIED)) {
			return NOT_FAST;
		}
		String prom = PrometheusNaming.metricName(k.name(), k.unit(), MetricsTranslator.kind(dataCase, k.monotonic()));
		return new MetricContext(k.resource(), k.name(), prom, dataCase == Metric.DataCase.HISTOGRAM,
				k.temporality() == TEMPORALITY_DELTA, k.monotonic());
	}

	/** @param seq the series expected at position {@code k}, or null */
	private int walkNumberPoint(ProtoCursor c, int end, Walk w, MetricContext ctx, Sequence seq, int k)
			throws InvalidProtocolBufferException {
		int p = w.addPoint();
		int saved = c.enter(end);
		long time = 0;
		double value = 0;
		int flags = 0;
		w.startAttributes();
		boolean unusual = false;
		while (c.hasMore()) {
			int tagAt = c.pos;
			int tag = c.tag();
			switch (tag) {
				case NP_ATTRIBUTES << 3 | ProtoCursor.LEN -> w.attribute(c, tagAt);
				case NP_TIME << 3 | ProtoCursor.FIXED64 -> time = c.fixed64();
				case NP_AS_DOUBLE << 3 | ProtoCursor.FIXED64 -> {
					value = Double.longBitsToDouble(c.fixed64());
					flags |= HAS_VALUE;
				}
				case NP_AS_INT << 3 | ProtoCursor.FIXED64 -> {
					value = c.fixed64();
					flags |= HAS_VALUE;
				}
				case NP_FLAGS << 3 | ProtoCursor.VARINT -> flags = (flags & ~STALE)
						| ((int) c.varint() & MetricsTranslator.NO_RECORDED_VALUE) * STALE;
				case NP_EXEMPLARS << 3 | ProtoCursor.LEN -> {
					unusual = true;
					c.skip(tag);
				}
				default -> {
					// a known field with another wire type is an unknown field to protobuf-java; leave it to it
					int field = tag >>> 3;
					w.keyed &= field != NP_ATTRIBUTES;
					unusual |= field == NP_TIME || field == NP_AS_DOUBLE
							|| field == NP_AS_INT || field == NP_FLAGS || field == NP_EXEMPLARS;
					skip(c, tag);
				}
			}
		}
		c.leave(saved);
		w.time[p] = time;
		w.value[p] = value;
		flags |= w.endAttributes(p);
		if ((flags & KEYED) != 0 && !unusual && time / 1_000_000 > 0 && (flags & (HAS_VALUE | STALE)) != 0) {
			Object s = find(w, p, ctx, seq, k, c.buf, 0, 0);
			if (s instanceof CachedSeries) {
				w.series[p] = s;
				w.flags[p] |= FAST;
			}
		}
		w.flags[p] |= flags;
		return p;
	}

	private int walkHistogramPoint(ProtoCursor c, int end, Walk w, MetricContext ctx, Sequence seq, int k)
			throws InvalidProtocolBufferException {
		int p = w.addPoint();
		int saved = c.enter(end);
		long time = 0;
		long count = 0;
		double sum = 0;
		int flags = 0;
		w.startAttributes();
		int boundsFrom = 0;
		int boundsTo = 0;
		int countsFrom = 0;
		int countsTo = 0;
		int boundFields = 0;
		int countFields = 0;
		boolean unusual = false;
		while (c.hasMore()) {
			int tagAt = c.pos;
			int tag = c.tag();
			switch (tag) {
				case HP_ATTRIBUTES << 3 | ProtoCursor.LEN -> w.attribute(c, tagAt);
				case HP_TIME << 3 | ProtoCursor.FIXED64 -> time = c.fixed64();
				case HP_COUNT << 3 | ProtoCursor.FIXED64 -> count = c.fixed64();
				case HP_SUM << 3 | ProtoCursor.FIXED64 -> {
					sum = Double.longBitsToDouble(c.fixed64());
					flags |= HAS_SUM;
				}
				case HP_BOUNDS << 3 | ProtoCursor.LEN -> {
					boundsTo = c.lengthEnd();
					boundsFrom = c.pos;
					c.pos = boundsTo;
					boundFields++;
				}
				case HP_BUCKET_COUNTS << 3 | ProtoCursor.LEN -> {
					countsTo = c.lengthEnd();
					countsFrom = c.pos;
					c.pos = countsTo;
					countFields++;
				}
				case HP_FLAGS << 3 | ProtoCursor.VARINT -> flags = (flags & ~STALE)
						| ((int) c.varint() & MetricsTranslator.NO_RECORDED_VALUE) * STALE;
				case HP_EXEMPLARS << 3 | ProtoCursor.LEN -> {
					unusual = true;
					c.skip(tag);
				}
				default -> {
					int field = tag >>> 3;
					w.keyed &= field != HP_ATTRIBUTES;
					unusual |= field == HP_TIME || field == HP_COUNT || field == HP_SUM
							|| field == HP_BOUNDS || field == HP_BUCKET_COUNTS || field == HP_FLAGS
							|| field == HP_EXEMPLARS;
					skip(c, tag);
				}
			}
		}
		c.leave(saved);
		if ((boundsTo - boundsFrom) % 8 != 0 || (countsTo - countsFrom) % 8 != 0) {
			throw LEAVE_TO_PROTOBUF; // a packed fixed64 field that does not hold whole values: malformed
		}
		int nb = (boundsTo - boundsFrom) / 8;
		int nc = (countsTo - countsFrom) / 8;
		unusual |= boundFields > 1 || countFields > 1;
		w.time[p] = time;
		w.value[p] = sum;
		w.count[p] = count;
		w.boundCount[p] = nb;
		w.bucketsAt[p] = w.addBuckets(c.buf, countsFrom, nc);
		w.bucketCount[p] = nc;
		flags |= w.endAttributes(p);
		if ((flags & KEYED) != 0 && !unusual && time / 1_000_000 > 0 && (nc == 0 || nc == nb + 1)) {
			Object s = find(w, p, ctx, seq, k, c.buf, boundsFrom, boundsTo);
			if (s instanceof HistogramSeries hs && hs.hasBounds(c.buf, boundsFrom, boundsTo)) {
				w.series[p] = s;
				w.flags[p] |= FAST;
			}
		}
		w.flags[p] |= flags;
		return p;
	}

	/**
	 * The series of point {@code p}: the one at its position {@code k} in the metric's sequence when the attribute
	 * bytes there are the same (and, for a histogram, its bounds are the point's: they may have changed since the
	 * sequence was taken), else whatever the index has. Marks the former IN_SEQUENCE.
	 */
	private Object find(Walk w, int p, MetricContext ctx, Sequence seq, int k, byte[] buf, int boundsFrom,
			int boundsTo) {
		if (seq != null && seq.matches(k, buf, w.attrFrom[p], w.attrTo[p])) {
			Object s = seq.series()[k];
			if (!ctx.histogram || ((HistogramSeries) s).hasBounds(buf, boundsFrom, boundsTo)) {
				w.flags[p] = IN_SEQUENCE;
				return s;
			}
		}
		return index.get(ctx, buf, w.attrFrom[p], w.attrTo[p]);
	}

	private ResourceInfo resource(byte[] buf, int from, int to) throws InvalidProtocolBufferException {
		Bytes probe = new Bytes(buf, from, to);
		ResourceInfo info = resources.get(probe);
		if (info == null) {
			if (resources.size() >= MAX_RESOURCES) {
				forgetAll();
			}
			List<KeyValue> attrs = Resource.parser().parseFrom(buf, from, to - from).getAttributesList();
			Identity id = MetricsTranslator.identity(attrs);
			info = new ResourceInfo(id, MetricsTranslator.targetInfo(attrs, id));
			ResourceInfo raced = resources.putIfAbsent(probe.copy(), info);
			if (raced != null) {
				info = raced;
			}
		}
		return info;
	}

	/** Drops every cached resource, metric and series; only costs translating them again. */
	private void forgetAll() {
		resources.clear();
		contexts.clear();
		index.clear();
		sequencePoints.set(0);
	}

	/**
	 * Skips a field the walk does not read. Groups (deprecated, written by no SDK) go to protobuf-java, whose nesting
	 * limit counts from the request rather than from where the cursor meets them.
	 */
	private static void skip(ProtoCursor c, int tag) throws InvalidProtocolBufferException {
		if ((tag & 7) == ProtoCursor.START_GROUP) {
			throw LEAVE_TO_PROTOBUF;
		}
		c.skip(tag);
	}

	private static void skipString(ProtoCursor c) throws InvalidProtocolBufferException {
		int end = c.lengthEnd();
		if (!validUtf8(c.buf, c.pos, end)) {
			throw LEAVE_TO_PROTOBUF; // protobuf-java rejects invalid UTF-8 in proto3 strings
		}
		c.pos = end;
	}

	private static boolean validUtf8(byte[] buf, int from, int to) {
		for (int i = from; i < to; i++) {
			if (buf[i] < 0) {
				try {
					StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(buf, from, to - from));
					return true;
				}
				catch (CharacterCodingException e) {
					return false;
				}
			}
		}
		return true;
	}

	private static String string(byte[] buf, int from, int to) {
		return new String(buf, from, to - from, StandardCharsets.UTF_8);
	}

	/** A range of bytes compared by content: a probe over the request, or a copy as a map key. */
	private static final class Bytes {

		final byte[] buf;
		final int from;
		final int to;
		final int hash;

		Bytes(byte[] buf, int from, int to) {
			this.buf = buf;
			this.from = from;
			this.to = to;
			int h = 1;
			for (int i = from; i < to; i++) {
				h = 31 * h + buf[i];
			}
			this.hash = h;
		}

		Bytes copy() {
			return new Bytes(Arrays.copyOfRange(buf, from, to), 0, to - from);
		}

		@Override
		public int hashCode() {
			return hash;
		}

		@Override
		public boolean equals(Object o) {
			return o instanceof Bytes b && b.hash == hash && Arrays.equals(buf, from, to, b.buf, b.from, b.to);
		}

	}

	/** What the first pass found, in request order; one per thread, reused. */
	private static final class Walk {

		long dataPoints;
		long maxSeries;
		// resources
		int resources;
		ResourceInfo[] resourceInfo = new ResourceInfo[4];
		int[] resourceEnd = new int[4]; // one past the resource's last metric
		// metrics
		int metrics;
		MetricContext[] context = new MetricContext[64];
		Metric[] parsed = new Metric[64];
		int[] firstPoint = new int[65]; // firstPoint[m + 1] ends metric m
		// points
		int points;
		Object[] series = new Object[1024];
		long[] time = new long[1024];
		double[] value = new double[1024];
		long[] count = new long[1024];
		int[] flags = new int[1024];
		int[] attrFrom = new int[1024];
		int[] attrTo = new int[1024];
		int[] boundCount = new int[1024];
		int[] bucketsAt = new int[1024];
		int[] bucketCount = new int[1024];
		// the run of attribute fields of the point being walked
		int runFrom;
		int runTo;
		boolean keyed;
		// bucket counts of all histogram points
		int bucketsUsed;
		long[] buckets = new long[4096];

		void reset() {
			Arrays.fill(resourceInfo, 0, resources, null);
			Arrays.fill(context, 0, metrics, null);
			Arrays.fill(parsed, 0, metrics, null);
			Arrays.fill(series, 0, points, null);
			resources = 0;
			metrics = 0;
			points = 0;
			bucketsUsed = 0;
			dataPoints = 0;
			maxSeries = 0;
		}

		void endResource(ResourceInfo info) {
			if (resources == resourceInfo.length) {
				resourceInfo = Arrays.copyOf(resourceInfo, resources * 2);
				resourceEnd = Arrays.copyOf(resourceEnd, resources * 2);
			}
			resourceInfo[resources] = info;
			resourceEnd[resources++] = metrics;
		}

		int startMetric() {
			if (metrics + 1 == context.length) {
				context = Arrays.copyOf(context, metrics * 2);
				parsed = Arrays.copyOf(parsed, metrics * 2);
				firstPoint = Arrays.copyOf(firstPoint, metrics * 2 + 1);
			}
			firstPoint[metrics] = points;
			return metrics;
		}

		void endMetric(int m) {
			metrics = m + 1;
			firstPoint[metrics] = points;
		}

		int addPoint() {
			if (points == series.length) {
				int n = points * 2;
				series = Arrays.copyOf(series, n);
				time = Arrays.copyOf(time, n);
				value = Arrays.copyOf(value, n);
				count = Arrays.copyOf(count, n);
				flags = Arrays.copyOf(flags, n);
				attrFrom = Arrays.copyOf(attrFrom, n);
				attrTo = Arrays.copyOf(attrTo, n);
				boundCount = Arrays.copyOf(boundCount, n);
				bucketsAt = Arrays.copyOf(bucketsAt, n);
				bucketCount = Arrays.copyOf(bucketCount, n);
			}
			return points++;
		}

		void startAttributes() {
			runFrom = -1;
			runTo = -1;
			keyed = true;
		}

		/** An attribute field whose tag starts at {@code tagAt}; the cursor is at its length. */
		void attribute(ProtoCursor c, int tagAt) throws InvalidProtocolBufferException {
			if (runFrom < 0) {
				runFrom = tagAt;
			}
			else if (runTo != tagAt) {
				keyed = false; // interleaved with other fields: the bytes are no key
			}
			c.pos = c.lengthEnd();
			runTo = c.pos;
		}

		/** Records the point's attribute bytes (empty when it has none); returns KEYED when they are a key. */
		int endAttributes(int p) {
			attrFrom[p] = runFrom < 0 ? 0 : runFrom;
			attrTo[p] = runFrom < 0 ? 0 : runTo;
			flags[p] = 0;
			return keyed ? KEYED : 0;
		}

		/** Copies {@code n} little-endian fixed64 bucket counts; returns where they start in {@link #buckets}. */
		int addBuckets(byte[] buf, int from, int n) {
			if (bucketsUsed + n > buckets.length) {
				buckets = Arrays.copyOf(buckets, Math.max(buckets.length * 2, bucketsUsed + n));
			}
			int at = bucketsUsed;
			for (int i = 0; i < n; i++) {
				buckets[at + i] = ProtoCursor.fixed64At(buf, from + 8 * i);
			}
			bucketsUsed += n;
			return at;
		}

	}

}
