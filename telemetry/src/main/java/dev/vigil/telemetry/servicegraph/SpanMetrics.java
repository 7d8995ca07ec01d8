package dev.vigil.telemetry.servicegraph;

import dev.vigil.telemetry.otlp.SampleSink;
import dev.vigil.telemetry.traces.StoredSpan;
import dev.vigil.telemetry.tsdb.Labels;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;

/**
 * RED metrics per service, span name, kind and status, named and labelled as Tempo's span-metrics processor does:
 * {@code traces_spanmetrics_calls_total} and the histogram {@code traces_spanmetrics_latency} with Tempo's default
 * buckets (2 ms doubling to 16.384 s).
 */
final class SpanMetrics {

	static final String CALLS = "traces_spanmetrics_calls_total";

	static final String LATENCY = "traces_spanmetrics_latency";

	static final double[] BUCKETS = GeneratedSeries.exponentialBuckets(0.002, 2, 14);

	private record Key(String service, String spanName, Span.SpanKind kind, Status.StatusCode status) {

		Labels labels(String name) {
			return Labels.builder()
				.set(Labels.METRIC_NAME, name)
				.set("service", service)
				.set("span_name", spanName)
				.set("span_kind", kind.name())
				.set("status_code", status.name())
				.build();
		}

	}

	private final GeneratedSeries<Key> calls;

	private final GeneratedSeries<Key> latency;

	SpanMetrics(int maxSeries) {
		calls = new GeneratedSeries<>(maxSeries);
		latency = new GeneratedSeries<>(maxSeries);
	}

	private static final Status.StatusCode[] CODES = { Status.StatusCode.STATUS_CODE_UNSET,
			Status.StatusCode.STATUS_CODE_OK, Status.StatusCode.STATUS_CODE_ERROR };

	void record(StoredSpan span) {
		// UNRECOGNIZED kinds and codes from newer senders have no name: count them as unspecified / unset (the
		// stored status is already unset for them)
		Span.SpanKind kind = span.kind() == Span.SpanKind.UNRECOGNIZED ? Span.SpanKind.SPAN_KIND_UNSPECIFIED
				: span.kind();
		Key key = new Key(span.service(), span.name(), kind, CODES[span.statusCode()]);
		GeneratedSeries.Counter counter = calls.counter(key, k -> k.labels(CALLS));
		if (counter != null) {
			counter.inc();
		}
		GeneratedSeries.Histogram histogram = latency.histogram(key, k -> k.labels(LATENCY), LATENCY, BUCKETS);
		if (histogram != null) {
			histogram.observe(Durations.seconds(span));
		}
	}

	void collect(SampleSink sink, long timestampMillis) {
		calls.collect(sink, timestampMillis);
		latency.collect(sink, timestampMillis);
	}

	long droppedUpdates() {
		return calls.dropped() + latency.dropped();
	}

	int series() {
		return calls.size() + latency.size();
	}

}
