package dev.vigil.telemetry.traces;

import java.util.ArrayList;
import java.util.List;

/**
 * The spans of one trace and what search needs of the trace as a whole (extent, root, {@link TraceDigest}), kept
 * up to date as spans arrive so that a search over a hundred thousand traces computes none of it.
 */
final class StoredTrace {

	final String traceId;

	final List<StoredSpan> spans = new ArrayList<>(8);

	final TraceDigest digest = new TraceDigest();

	private long startNanos = Long.MAX_VALUE;

	private long endNanos = Long.MIN_VALUE;

	private long bytes;

	/** The first span without a parent, if any. */
	private StoredSpan parentless;

	/** The first of the earliest-starting spans: the root when no span is parentless. */
	private StoredSpan earliest;

	StoredTrace(String traceId) {
		this.traceId = traceId;
	}

	void add(StoredSpan span) {
		spans.add(span);
		digest.add(span);
		startNanos = Math.min(startNanos, span.startNanos());
		endNanos = Math.max(endNanos, span.endNanos());
		bytes += span.estimatedBytes();
		if (parentless == null && span.parentSpanId().isEmpty()) {
			parentless = span;
		}
		if (earliest == null || span.startNanos() < earliest.startNanos()) {
			earliest = span;
		}
	}

	StoredSpan root() {
		return parentless != null ? parentless : earliest;
	}

	long startNanos() {
		return startNanos;
	}

	long endNanos() {
		return endNanos;
	}

	/** Bytes of the spans and of this trace's own bookkeeping. */
	long bytes() {
		return bytes;
	}

	static long overheadBytes() {
		return 16 + 4 * 8 + 8 * 4 + 16 + 4 * 8 + TraceDigest.bytes() + 48;
	}

}
