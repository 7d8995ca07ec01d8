package dev.vigil.telemetry.otlp;

import dev.vigil.telemetry.tsdb.Labels;

/**
 * A translated series: its labels and, once written, the sink's handle for it, so a series seen again is appended
 * without a lookup by labels.
 */
final class CachedSeries {

	final Labels labels;
	// written by whichever request first appends through a sink; an immutable pair, so racing writers are harmless
	private volatile Handle handle;

	CachedSeries(Labels labels) {
		this.labels = labels;
	}

	private record Handle(SampleSink sink, Object ref) {
	}

	boolean append(SampleSink sink, long t, double v) {
		Handle h = handle;
		if (h == null || h.sink != sink) {
			Object ref = sink.seriesRef(labels);
			if (ref == null) {
				return sink.append(labels, t, v);
			}
			h = new Handle(sink, ref);
			handle = h;
		}
		return sink.append(h.ref, labels, t, v);
	}

}
