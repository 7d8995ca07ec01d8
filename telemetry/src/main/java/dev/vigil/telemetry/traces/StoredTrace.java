package dev.vigil.telemetry.traces;

import java.util.ArrayList;
import java.util.List;

/**
 * The spans of one trace and what search needs of the trace as a whole (extent, root, {@link TraceDigest}), kept
 * up to date as spans arrive so that a search over a hundred thousand traces computes none of it.
 */
final class StoredTrace {

	final TraceKey key;

	final List<StoredSpan> spans = new ArrayList<>(8);

	final TraceDigest digest = new TraceDigest();

	private long startNanos = Long.MAX_VALUE;

	private long endNanos = Long.MIN_VALUE;

	private long bytes;

	/** The first span without a parent, if any. */
	private StoredSpan parentless;

	/** The first of the earliest-starting spans: the root when no span is parentless. */
	private StoredSpan earliest;

	/** A trace id as the store's map key: its two halves, no hex string per trace. */
	record TraceKey(long high, long low) {

		/** The key of a hex trace id (1 to 32 digits, as {@link Hex#normalizeTraceId} accepts). */
		static TraceKey of(String hex) {
			String id = Hex.normalizeTraceId(hex);
			return new TraceKey(Long.parseUnsignedLong(id, 0, 16, 16), Long.parseUnsignedLong(id, 16, 32, 16));
		}

	}

	StoredTrace(TraceKey key) {
		this.key = key;
	}

	/** Adds a span with its attribute pairs' digest hashes, {@code pairHashes[from, to)}. */
	void add(StoredSpan span, long[] pairHashes, int from, int to) {
		spans.add(span);
		digest.add(span, pairHashes, from, to);
		startNanos = Math.min(startNanos, span.startNanos());
		endNanos = Math.max(endNanos, span.endNanos());
		bytes += span.estimatedBytes();
		if (parentless == null && !span.hasParent()) {
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
		return 16 + 4 * 8 + 8 * 4 + 16 + 4 * 8 + TraceDigest.bytes() + 48 + 32;
	}

}
