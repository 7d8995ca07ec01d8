package dev.vigil.telemetry.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.vigil.telemetry.otlp.wire.ProtoCursor;
import dev.vigil.telemetry.tsdb.Labels;
import dev.vigil.telemetry.tsdb.StaleNaN;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Translates OTLP metrics into Prometheus samples the way Prometheus's OTLP receiver does
 * ({@code storage/remote/otlptranslator/prometheusremotewrite}): {@code job}/{@code instance} from the resource,
 * a {@code target_info} series for the other resource attributes, classic histograms as
 * {@code _bucket}/{@code _sum}/{@code _count}, summaries as quantile series. Deviation: delta temporality is
 * accepted and accumulated into cumulative series instead of being rejected.
 *
 * <p>Invalid data points are rejected one by one and counted, so a request is never all-or-nothing (OTLP partial
 * success). Thread-safe.
 */
public final class MetricsTranslator {

	static final int NO_RECORDED_VALUE = 1;

	private static final int MAX_ERRORS_REPORTED = 5;

	private final int maxSeriesPerRequest;
	private final DeltaCumulator deltas;
	private final ExemplarStore exemplars;
	private final SeriesCache seriesCache = new SeriesCache(200_000);
	private final RawMetricsPath rawPath = new RawMetricsPath(this, 200_000);

	/**
	 * @param maxSeriesPerRequest distinct series one request may write; data points beyond it are rejected
	 * @param maxDeltaSeries series whose running totals are kept for delta → cumulative conversion
	 * @param exemplars where exemplars go
	 */
	public MetricsTranslator(int maxSeriesPerRequest, int maxDeltaSeries, ExemplarStore exemplars) {
		this.maxSeriesPerRequest = maxSeriesPerRequest;
		this.deltas = new DeltaCumulator(maxDeltaSeries);
		this.exemplars = exemplars;
	}

	/**
	 * The outcome of one request.
	 *
	 * @param samplesAppended samples stored
	 * @param rejectedDataPoints OTLP data points not (fully) stored, as reported in {@code partial_success}
	 * @param errorMessage a human-readable summary of the first rejections, empty when none
	 */
	public record Result(long samplesAppended, long rejectedDataPoints, String errorMessage) {
	}

	public Result translate(ExportMetricsServiceRequest request, SampleSink sink) {
		Request r = new Request(sink, maxSeries(request) > maxSeriesPerRequest);
		for (ResourceMetrics rm : request.getResourceMetricsList()) {
			translateResource(rm, r);
		}
		return r.result();
	}

	/**
	 * Translates a serialized {@code ExportMetricsServiceRequest} (the bytes of an OTLP/gRPC or OTLP/HTTP protobuf
	 * request) with the same outcome as parsing it and calling {@link #translate(ExportMetricsServiceRequest,
	 * SampleSink)}, but series seen before are found by their raw attribute bytes: no protobuf messages, strings or
	 * label sets are built for them.
	 *
	 * @throws InvalidProtocolBufferException when the bytes are not a valid request (nothing is stored then)
	 */
	public Decoded translate(byte[] buf, int offset, int length, SampleSink sink)
			throws InvalidProtocolBufferException {
		return rawPath.translate(buf, offset, length, sink);
	}

	/** Data points of serialized requests whose series were found by their raw bytes. */
	public long fastPathDataPoints() {
		return rawPath.fastPoints();
	}

	/** The outcome of translating serialized bytes: the result and the data points the request held. */
	public record Decoded(Result result, long dataPoints) {
	}

	/** Data points in a request, for counting what was received. */
	public static long countDataPoints(ExportMetricsServiceRequest request) {
		long n = 0;
		for (ResourceMetrics rm : request.getResourceMetricsList()) {
			for (ScopeMetrics sm : rm.getScopeMetricsList()) {
				for (Metric m : sm.getMetricsList()) {
					n += dataPointCount(m);
				}
			}
		}
		return n;
	}

	/** An upper bound of the series a request can write, to skip per-series tracking for ordinary requests. */
	private static long maxSeries(ExportMetricsServiceRequest request) {
		long n = 0;
		for (ResourceMetrics rm : request.getResourceMetricsList()) {
			n++; // target_info
			for (ScopeMetrics sm : rm.getScopeMetricsList()) {
				for (Metric m : sm.getMetricsList()) {
					n += maxSeries(m);
				}
			}
		}
		return n;
	}

	/** An upper bound of the series one metric can write. */
	static long maxSeries(Metric m) {
		long n = 0;
		switch (m.getDataCase()) {
			case HISTOGRAM -> {
				for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
					n += p.getExplicitBoundsCount() + 3L;
				}
			}
			case SUMMARY -> {
				for (SummaryDataPoint p : m.getSummary().getDataPointsList()) {
					n += p.getQuantileValuesCount() + 2L;
				}
			}
			default -> n += dataPointCount(m);
		}
		return n;
	}

	boolean mayExceedSeriesLimit(long maxSeries) {
		return maxSeries > maxSeriesPerRequest;
	}

	static int dataPointCount(Metric m) {
		switch (m.getDataCase()) {
			case GAUGE:
				return m.getGauge().getDataPointsCount();
			case SUM:
				return m.getSum().getDataPointsCount();
			case HISTOGRAM:
				return m.getHistogram().getDataPointsCount();
			case EXPONENTIAL_HISTOGRAM:
				return m.getExponentialHistogram().getDataPointsCount();
			case SUMMARY:
				return m.getSummary().getDataPointsCount();
			default:
				return 0;
		}
	}

	Request newRequest(SampleSink sink, boolean mayExceedLimit) {
		return new Request(sink, mayExceedLimit);
	}

	/** Per-request state: the series seen (for the series limit), counts and the first errors. */
	final class Request {

		final SampleSink sink;
		final Set<Labels> series = new HashSet<>();
		final List<String> errors = new ArrayList<>();
		long appended;
		long rejected;
		long moreErrors;

		final boolean mayExceedLimit;
		// the series and values of one histogram data point, reused from point to point
		CachedSeries[] pointSeries = new CachedSeries[16];
		double[] pointValues = new double[16];
		long[] bucketCounts = new long[16];

		Request(SampleSink sink, boolean mayExceedLimit) {
			this.sink = sink;
			this.mayExceedLimit = mayExceedLimit;
		}

		CachedSeries[] pointSeries(int n) {
			if (pointSeries.length < n) {
				pointSeries = new CachedSeries[n];
				pointValues = new double[n];
			}
			return pointSeries;
		}

		long[] bucketCounts(int n) {
			if (bucketCounts.length < n) {
				bucketCounts = new long[n];
			}
			return bucketCounts;
		}

		Result result() {
			return new Result(appended, rejected, String.join("; ", errors)
					+ (moreErrors > 0 ? "; and " + moreErrors + " more" : ""));
		}

		void reject(long points, String message) {
			rejected += points;
			if (errors.size() < MAX_ERRORS_REPORTED) {
				errors.add(message);
			}
			else {
				moreErrors++;
			}
		}

		/** Admits a series under the per-request limit. */
		boolean admit(Labels l) {
			if (!mayExceedLimit) {
				return true;
			}
			return series.size() < maxSeriesPerRequest ? (series.add(l) || true) : series.contains(l);
		}

		boolean append(Labels l, long t, double v) {
			if (sink.append(l, t, v)) {
				appended++;
				return true;
			}
			return false;
		}

		boolean append(CachedSeries s, long t, double v) {
			if (s.append(sink, t, v)) {
				appended++;
				return true;
			}
			return false;
		}

	}

	private void translateResource(ResourceMetrics rm, Request r) {
		List<KeyValue> resAttrs = rm.getResource().getAttributesList();
		Identity id = identity(resAttrs);
		long latest = 0;
		for (ScopeMetrics sm : rm.getScopeMetricsList()) {
			for (Metric m : sm.getMetricsList()) {
				long t = translateMetric(m, id.job(), id.instance(), r);
				latest = Math.max(latest, t);
			}
		}
		addTargetInfo(targetInfo(resAttrs, id), latest, r);
	}

	/** The {@code job} and {@code instance} labels a resource gives its series ("" when absent). */
	record Identity(String job, String instance) {
	}

	static Identity identity(List<KeyValue> resAttrs) {
		String serviceName = "";
		String serviceNamespace = "";
		String instance = "";
		for (KeyValue kv : resAttrs) {
			switch (kv.getKey()) {
				case "service.name" -> serviceName = asString(kv.getValue());
				case "service.namespace" -> serviceNamespace = asString(kv.getValue());
				case "service.instance.id" -> instance = asString(kv.getValue());
				default -> {
				}
			}
		}
		String job = serviceName.isEmpty() ? "" : serviceNamespace.isEmpty() ? serviceName
				: serviceNamespace + "/" + serviceName;
		return new Identity(job, instance);
	}

	/**
	 * The {@code target_info} series of a resource, null when it has none: it carries the non-identifying resource
	 * attributes, only when there are some and there is a job or instance to join on.
	 */
	static Labels targetInfo(List<KeyValue> resAttrs, Identity id) {
		String job = id.job();
		String instance = id.instance();
		if (job.isEmpty() && instance.isEmpty()) {
			return null;
		}
		List<KeyValue> others = new ArrayList<>();
		for (KeyValue kv : resAttrs) {
			String k = kv.getKey();
			if (!k.equals("service.name") && !k.equals("service.namespace") && !k.equals("service.instance.id")) {
				others.add(kv);
			}
		}
		if (others.isEmpty()) {
			return null;
		}
		Labels.Builder b = attributes(others);
		b.set("job", job).set("instance", instance).set(Labels.METRIC_NAME, "target_info");
		return b.build();
	}

	/** Writes target_info (when the resource has one) at the latest time a metric of the resource was written. */
	void addTargetInfo(Labels targetInfo, long latestMillis, Request r) {
		if (targetInfo == null || latestMillis == 0) {
			return;
		}
		if (r.admit(targetInfo)) {
			// a repeated target_info at the same timestamp is not an error
			r.append(targetInfo, latestMillis, 1);
		}
	}

	/** @return the latest timestamp (ms) written for the metric, 0 when none */
	long translateMetric(Metric m, String job, String instance, Request r) {
		String name = m.getName();
		String unit = m.getUnit();
		if (name.isEmpty()) {
			r.reject(dataPointCount(m), "metric with an empty name");
			return 0;
		}
		if (PrometheusNaming.metricName(name, unit, PrometheusNaming.Kind.GAUGE).isEmpty()) {
			r.reject(dataPointCount(m), "normalization for metric \"" + name + "\" resulted in an invalid name");
			return 0;
		}
		switch (m.getDataCase()) {
			case GAUGE: {
				String prom = PrometheusNaming.metricName(name, unit, kind(Metric.DataCase.GAUGE, false));
				return numberPoints(m.getGauge().getDataPointsList(), prom, false, false, job, instance, r, name);
			}
			case SUM: {
				var sum = m.getSum();
				boolean delta = sum.getAggregationTemporality() == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
				if (sum.getAggregationTemporality() == AggregationTemporality.AGGREGATION_TEMPORALITY_UNSPECIFIED) {
					r.reject(sum.getDataPointsCount(), "metric " + name + ": sum with unspecified aggregation temporality");
					return 0;
				}
				String prom = PrometheusNaming.metricName(name, unit, kind(Metric.DataCase.SUM, sum.getIsMonotonic()));
				return numberPoints(sum.getDataPointsList(), prom, delta, sum.getIsMonotonic(), job, instance, r, name);
			}
			case HISTOGRAM: {
				var h = m.getHistogram();
				if (h.getAggregationTemporality() == AggregationTemporality.AGGREGATION_TEMPORALITY_UNSPECIFIED) {
					r.reject(h.getDataPointsCount(), "metric " + name + ": histogram with unspecified aggregation temporality");
					return 0;
				}
				boolean delta = h.getAggregationTemporality() == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
				String prom = PrometheusNaming.metricName(name, unit, kind(Metric.DataCase.HISTOGRAM, false));
				long latest = 0;
				for (HistogramDataPoint p : h.getDataPointsList()) {
					latest = Math.max(latest, histogramPoint(p, prom, delta, job, instance, r, name));
				}
				return latest;
			}
			case SUMMARY: {
				String prom = PrometheusNaming.metricName(name, unit, kind(Metric.DataCase.SUMMARY, false));
				long latest = 0;
				for (SummaryDataPoint p : m.getSummary().getDataPointsList()) {
					latest = Math.max(latest, summaryPoint(p, prom, job, instance, r, name));
				}
				return latest;
			}
			case EXPONENTIAL_HISTOGRAM:
				// Prometheus stores these as native histograms, which this storage does not have
				r.reject(dataPointCount(m),
						"metric " + name + ": exponential histograms are not supported; use explicit-bucket histograms");
				return 0;
			default:
				r.reject(0, "metric " + name + ": no data");
				return 0;
		}
	}

	/** The naming rules for a metric type (a sum's depend on whether it is monotonic); null for unnamed types. */
	static PrometheusNaming.Kind kind(Metric.DataCase type, boolean monotonic) {
		return switch (type) {
			case GAUGE -> PrometheusNaming.Kind.GAUGE;
			case SUM -> monotonic ? PrometheusNaming.Kind.MONOTONIC_COUNTER : PrometheusNaming.Kind.NON_MONOTONIC_COUNTER;
			case HISTOGRAM -> PrometheusNaming.Kind.HISTOGRAM;
			case SUMMARY -> PrometheusNaming.Kind.SUMMARY;
			default -> null;
		};
	}

	/** The resource identity and Prometheus name shared by a metric's series; the context of cached series. */
	private record SeriesContext(String job, String instance, String name, boolean histogram) {
	}

	/** The canonical context of the cached series of a metric: number series, or histograms when histogram. */
	Object seriesContext(String job, String instance, String prom, boolean histogram) {
		return seriesCache.context(new SeriesContext(job, instance, prom, histogram));
	}

	/** What {@link #seriesCache} holds for a data point's attributes: a CachedSeries or HistogramSeries. */
	Object cachedSeries(Object context, List<KeyValue> attrs) {
		return seriesCache.get(context, attrs);
	}

	private long numberPoints(List<NumberDataPoint> points, String prom, boolean delta, boolean monotonic, String job,
			String instance, Request r, String otelName) {
		long latest = 0;
		Object context = seriesContext(job, instance, prom, false);
		for (NumberDataPoint p : points) {
			long t = p.getTimeUnixNano() / 1_000_000;
			if (t <= 0) {
				r.reject(1, "metric " + otelName + ": data point without a timestamp");
				continue;
			}
			boolean stale = (p.getFlags() & NO_RECORDED_VALUE) != 0;
			double v;
			switch (p.getValueCase()) {
				case AS_DOUBLE -> v = p.getAsDouble();
				case AS_INT -> v = p.getAsInt();
				default -> {
					if (!stale) {
						r.reject(1, "metric " + otelName + ": data point without a value");
						continue;
					}
					v = Double.NaN;
				}
			}
			List<KeyValue> attrs = p.getAttributesList();
			CachedSeries series = (CachedSeries) seriesCache.get(context, attrs);
			if (series == null) {
				series = new CachedSeries(seriesLabels(attrs, job, instance, prom, null, null));
				seriesCache.put(context, attrs, series);
			}
			if (!numberSample(series, t, v, stale, delta, monotonic, r, otelName)) {
				continue;
			}
			latest = Math.max(latest, t);
			for (var e : p.getExemplarsList()) {
				addExemplar(series.labels, e);
			}
		}
		return latest;
	}

	/**
	 * Writes the sample of a number data point that has a timestamp and a value (or is stale) to its series: the
	 * series limit, staleness, delta accumulation and the storage's verdict; rejections are counted in {@code r}.
	 * @return whether the sample was stored
	 */
	boolean numberSample(CachedSeries series, long t, double v, boolean stale, boolean delta, boolean monotonic,
			Request r, String otelName) {
		Labels l = series.labels;
		if (!r.admit(l)) {
			r.reject(1, "metric " + otelName + ": too many series in one request (limit " + maxSeriesPerRequest + ")");
			return false;
		}
		if (stale) {
			v = StaleNaN.VALUE;
		}
		else if (delta) {
			if (monotonic && v < 0) {
				r.reject(1, "metric " + otelName + ": negative delta " + v + " for a monotonic sum");
				return false;
			}
			v = deltas.add(l, t, v);
			if (Double.isNaN(v)) {
				r.reject(1, "metric " + otelName + ": delta data point out of order for " + l);
				return false;
			}
		}
		if (!r.append(series, t, v)) {
			r.reject(1, "metric " + otelName + ": sample rejected by storage (out of order or duplicate) for " + l);
			return false;
		}
		return true;
	}

	private long histogramPoint(HistogramDataPoint p, String prom, boolean delta, String job, String instance,
			Request r, String otelName) {
		long t = p.getTimeUnixNano() / 1_000_000;
		if (t <= 0) {
			r.reject(1, "metric " + otelName + ": data point without a timestamp");
			return 0;
		}
		int nb = p.getExplicitBoundsCount();
		int nc = p.getBucketCountsCount();
		if (nc != 0 && nc != nb + 1) {
			r.reject(1, "metric " + otelName + ": histogram has " + nc + " bucket counts for " + nb
					+ " explicit bounds (want bounds + 1)");
			return 0;
		}
		for (int i = 1; i < nb; i++) {
			if (!(p.getExplicitBounds(i) > p.getExplicitBounds(i - 1))) {
				r.reject(1, "metric " + otelName + ": histogram bounds are not strictly increasing");
				return 0;
			}
		}
		boolean stale = (p.getFlags() & NO_RECORDED_VALUE) != 0;
		HistogramSeries hs = histogramSeries(p, prom, job, instance);
		long[] buckets = r.bucketCounts(nc);
		for (int i = 0; i < nc; i++) {
			buckets[i] = p.getBucketCounts(i);
		}
		int n = histogramSamples(hs, t, stale, delta, p.hasSum(), p.getSum(), p.getCount(), buckets, 0, nc, r,
				otelName);
		if (n < 0) {
			return 0;
		}
		CachedSeries[] series = r.pointSeries;
		int firstBucket = stale || p.hasSum() ? 2 : 1;
		for (var e : p.getExemplarsList()) {
			double ev = exemplarValue(e);
			// the exemplar belongs to the first bucket whose upper bound holds it, as in Prometheus
			int idx = n - 1;
			if (nc > 0) {
				for (int i = 0; i < nb; i++) {
					if (ev <= p.getExplicitBounds(i)) {
						idx = firstBucket + i;
						break;
					}
				}
			}
			addExemplar(series[idx].labels, e);
		}
		return t;
	}

	/**
	 * Writes the samples of a valid histogram data point (bucket counts empty or one more than the bounds of
	 * {@code hs}): _sum (when set or stale), _count, the cumulative buckets (when counted) and +Inf, in that order
	 * in {@code r.pointSeries}; rejections are counted in {@code r}.
	 * @return the number of series, or -1 when the series limit rejected the point
	 */
	int histogramSamples(HistogramSeries hs, long t, boolean stale, boolean delta, boolean hasSum, double sum,
			long count, long[] bucketCounts, int bucketsAt, int nc, Request r, String otelName) {
		int nb = hs.buckets.length;
		CachedSeries[] series = r.pointSeries(nb + 3);
		double[] values = r.pointValues;
		int n = 0;
		if (stale || hasSum) {
			series[n] = hs.sum;
			values[n++] = sum;
		}
		series[n] = hs.count;
		values[n++] = count;
		long cumulative = 0;
		if (nc > 0) {
			for (int i = 0; i < nb; i++) {
				cumulative += bucketCounts[bucketsAt + i];
				series[n] = hs.buckets[i];
				values[n++] = cumulative;
			}
		}
		series[n] = hs.inf;
		values[n++] = count;
		for (int i = 0; i < n; i++) {
			if (!r.admit(series[i].labels)) {
				r.reject(1, "metric " + otelName + ": too many series in one request (limit " + maxSeriesPerRequest + ")");
				return -1;
			}
		}
		boolean allOk = true;
		for (int i = 0; i < n; i++) {
			double v = values[i];
			if (stale) {
				v = StaleNaN.VALUE;
			}
			else if (delta) {
				v = deltas.add(series[i].labels, t, v);
				if (Double.isNaN(v)) {
					allOk = false;
					continue;
				}
			}
			allOk &= r.append(series[i], t, v);
		}
		if (!allOk) {
			r.reject(1, "metric " + otelName + ": histogram samples rejected (out of order or duplicate) for " + hs.base);
		}
		return n;
	}

	/** The series of a histogram data point: _sum, _count, one _bucket per bound and the +Inf bucket. */
	static final class HistogramSeries {

		final double[] bounds;
		final Labels base;
		final CachedSeries sum;
		final CachedSeries count;
		final CachedSeries[] buckets;
		final CachedSeries inf;

		HistogramSeries(HistogramDataPoint p, String prom, Labels base) {
			this.base = base;
			this.bounds = new double[p.getExplicitBoundsCount()];
			this.buckets = new CachedSeries[bounds.length];
			this.sum = new CachedSeries(withName(base, prom + "_sum"));
			this.count = new CachedSeries(withName(base, prom + "_count"));
			for (int i = 0; i < bounds.length; i++) {
				bounds[i] = p.getExplicitBounds(i);
				buckets[i] = new CachedSeries(base.toBuilder()
					.set(Labels.METRIC_NAME, prom + "_bucket")
					.set("le", PrometheusNaming.formatFloat(bounds[i]))
					.build());
			}
			this.inf = new CachedSeries(base.toBuilder().set(Labels.METRIC_NAME, prom + "_bucket").set("le", "+Inf").build());
		}

		// bounds may change between exports of the same series (a reconfigured SDK); compared bit for bit
		boolean hasBounds(HistogramDataPoint p) {
			if (p.getExplicitBoundsCount() != bounds.length) {
				return false;
			}
			for (int i = 0; i < bounds.length; i++) {
				if (Double.doubleToLongBits(p.getExplicitBounds(i)) != Double.doubleToLongBits(bounds[i])) {
					return false;
				}
			}
			return true;
		}

		/** As above, for bounds still in their packed little-endian wire form. */
		boolean hasBounds(byte[] buf, int from, int to) {
			if (to - from != 8 * bounds.length) {
				return false;
			}
			for (int i = 0; i < bounds.length; i++) {
				double b = Double.longBitsToDouble(ProtoCursor.fixed64At(buf, from + 8 * i));
				if (Double.doubleToLongBits(b) != Double.doubleToLongBits(bounds[i])) {
					return false;
				}
			}
			return true;
		}

	}

	private HistogramSeries histogramSeries(HistogramDataPoint p, String prom, String job, String instance) {
		Object context = seriesContext(job, instance, prom, true);
		List<KeyValue> attrs = p.getAttributesList();
		HistogramSeries hs = (HistogramSeries) seriesCache.get(context, attrs);
		if (hs == null || !hs.hasBounds(p)) {
			hs = new HistogramSeries(p, prom, seriesLabels(attrs, job, instance, null, null, null));
			seriesCache.put(context, attrs, hs);
		}
		return hs;
	}

	private long summaryPoint(SummaryDataPoint p, String prom, String job, String instance, Request r,
			String otelName) {
		long t = p.getTimeUnixNano() / 1_000_000;
		if (t <= 0) {
			r.reject(1, "metric " + otelName + ": data point without a timestamp");
			return 0;
		}
		boolean stale = (p.getFlags() & NO_RECORDED_VALUE) != 0;
		Labels base = seriesLabels(p.getAttributesList(), job, instance, null, null, null);
		List<Labels> series = new ArrayList<>();
		List<Double> values = new ArrayList<>();
		series.add(withName(base, prom + "_sum"));
		values.add(p.getSum());
		series.add(withName(base, prom + "_count"));
		values.add((double) p.getCount());
		for (var q : p.getQuantileValuesList()) {
			if (Double.isNaN(q.getQuantile()) || q.getQuantile() < 0 || q.getQuantile() > 1) {
				r.reject(1, "metric " + otelName + ": quantile " + q.getQuantile() + " outside [0, 1]");
				return 0;
			}
			series.add(base.toBuilder().set(Labels.METRIC_NAME, prom)
				.set("quantile", PrometheusNaming.formatFloat(q.getQuantile())).build());
			values.add(q.getValue());
		}
		for (Labels l : series) {
			if (!r.admit(l)) {
				r.reject(1, "metric " + otelName + ": too many series in one request (limit " + maxSeriesPerRequest + ")");
				return 0;
			}
		}
		boolean allOk = true;
		for (int i = 0; i < series.size(); i++) {
			allOk &= r.append(series.get(i), t, stale ? StaleNaN.VALUE : values.get(i));
		}
		if (!allOk) {
			r.reject(1, "metric " + otelName + ": summary samples rejected (out of order or duplicate) for " + base);
		}
		return t;
	}

	private static Labels withName(Labels base, String name) {
		return base.toBuilder().set(Labels.METRIC_NAME, name).build();
	}

	private static Labels seriesLabels(List<KeyValue> attrs, String job, String instance, String name, String extraName,
			String extraValue) {
		Labels.Builder b = attributes(attrs);
		// resource identity wins over same-named data point attributes, as in Prometheus
		if (!job.isEmpty()) {
			b.set("job", job);
		}
		if (!instance.isEmpty()) {
			b.set("instance", instance);
		}
		if (extraName != null) {
			b.set(extraName, extraValue);
		}
		if (name != null) {
			b.set(Labels.METRIC_NAME, name);
		}
		return b.build();
	}

	/**
	 * Attributes as sanitized labels. Keys that sanitize to the same label name have their values joined with
	 * {@code ;} in key order, as Prometheus does.
	 */
	static Labels.Builder attributes(List<KeyValue> attrs) {
		Labels.Builder b = Labels.builder();
		if (attrs.isEmpty()) {
			return b;
		}
		List<KeyValue> sorted = attrs;
		for (int i = 1; i < attrs.size(); i++) {
			if (attrs.get(i - 1).getKey().compareTo(attrs.get(i).getKey()) > 0) {
				sorted = new ArrayList<>(attrs);
				sorted.sort(Comparator.comparing(KeyValue::getKey));
				break;
			}
		}
		for (KeyValue kv : sorted) {
			String name = PrometheusNaming.labelName(kv.getKey());
			if (name.isEmpty()) {
				continue;
			}
			String value = asString(kv.getValue());
			String existing = b.get(name);
			b.set(name, existing.isEmpty() ? value : existing + ";" + value);
		}
		return b;
	}

	private void addExemplar(Labels series, io.opentelemetry.proto.metrics.v1.Exemplar e) {
		Labels.Builder b = attributes(e.getFilteredAttributesList());
		if (!e.getTraceId().isEmpty()) {
			b.set("trace_id", hex(e.getTraceId()));
		}
		if (!e.getSpanId().isEmpty()) {
			b.set("span_id", hex(e.getSpanId()));
		}
		exemplars.add(series, new Exemplar(b.build(), exemplarValue(e), e.getTimeUnixNano() / 1_000_000));
	}

	private static double exemplarValue(io.opentelemetry.proto.metrics.v1.Exemplar e) {
		return e.getValueCase() == io.opentelemetry.proto.metrics.v1.Exemplar.ValueCase.AS_INT ? e.getAsInt()
				: e.getAsDouble();
	}

	static String hex(ByteString bytes) {
		StringBuilder sb = new StringBuilder(bytes.size() * 2);
		for (int i = 0; i < bytes.size(); i++) {
			int v = bytes.byteAt(i) & 0xff;
			sb.append(Character.forDigit(v >> 4, 16)).append(Character.forDigit(v & 0xf, 16));
		}
		return sb.toString();
	}

	/** An attribute value as a label value, as pcommon's {@code AsString}. */
	static String asString(AnyValue v) {
		switch (v.getValueCase()) {
			case STRING_VALUE:
				return v.getStringValue();
			case BOOL_VALUE:
				return Boolean.toString(v.getBoolValue());
			case INT_VALUE:
				return Long.toString(v.getIntValue());
			case DOUBLE_VALUE:
				return formatDouble(v.getDoubleValue());
			case BYTES_VALUE:
				return java.util.Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray());
			case ARRAY_VALUE: {
				StringBuilder sb = new StringBuilder("[");
				var values = v.getArrayValue().getValuesList();
				for (int i = 0; i < values.size(); i++) {
					if (i > 0) {
						sb.append(',');
					}
					appendJson(sb, values.get(i));
				}
				return sb.append(']').toString();
			}
			case KVLIST_VALUE: {
				StringBuilder sb = new StringBuilder("{");
				var values = v.getKvlistValue().getValuesList();
				for (int i = 0; i < values.size(); i++) {
					if (i > 0) {
						sb.append(',');
					}
					quote(sb, values.get(i).getKey());
					sb.append(':');
					appendJson(sb, values.get(i).getValue());
				}
				return sb.append('}').toString();
			}
			default:
				return "";
		}
	}

	private static void appendJson(StringBuilder sb, AnyValue v) {
		switch (v.getValueCase()) {
			case STRING_VALUE, BYTES_VALUE -> quote(sb, asString(v));
			case VALUE_NOT_SET -> sb.append("null");
			default -> sb.append(asString(v));
		}
	}

	private static void quote(StringBuilder sb, String s) {
		sb.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
	}

	private static String formatDouble(double d) {
		if (d == Math.rint(d) && Math.abs(d) < 1e21 && !Double.isInfinite(d)) {
			return Long.toString((long) d);
		}
		return Double.toString(d);
	}

	/** Delta-conversion state size, for self-monitoring. */
	public int deltaSeries() {
		return deltas.size();
	}

}
