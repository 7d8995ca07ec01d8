package dev.vigil.telemetry.servicegraph;

import dev.vigil.telemetry.traces.StoredSpan;

final class Durations {

	private Durations() {
	}

	/** A span's duration in seconds; a span ending before it starts (clock skew) counts as zero. */
	static double seconds(StoredSpan span) {
		return span.durationNanos() / 1e9;
	}

}
