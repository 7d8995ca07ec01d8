package dev.vigil.telemetry.servicegraph;

import io.opentelemetry.proto.trace.v1.Span;

final class Durations {

	private Durations() {
	}

	/** A span's duration in seconds; a span ending before it starts (clock skew) counts as zero. */
	static double seconds(Span span) {
		return Math.max(0, span.getEndTimeUnixNano() - span.getStartTimeUnixNano()) / 1e9;
	}

}
