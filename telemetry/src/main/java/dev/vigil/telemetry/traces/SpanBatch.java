package dev.vigil.telemetry.traces;

import java.util.Arrays;
import java.util.List;

/**
 * One decoded export request (or replayed log record): the valid spans as they will be stored, what the trace
 * store's digests need of their attributes, where each {@code ResourceSpans} lies in the received bytes (what the
 * append log writes, unchanged) and what was rejected. Made by {@link SpanDecoder}; the spans point into the
 * received bytes rather than copying them.
 */
public final class SpanBatch {

	final byte[] buf;

	private final StoredSpan[] spans;

	private final int size;

	/** Span i's attribute pairs as {@link TraceDigest} hashes: pairHashes[pairStart[i] .. pairStart[i + 1]). */
	final long[] pairHashes;

	final int[] pairStart;

	/** Per {@code ResourceSpans} with valid spans: offset, length and valid span count, in triples. */
	final int[] resourceSpans;

	final int resourceSpansCount;

	private final long received;

	private final long rejected;

	private final String firstError;

	SpanBatch(byte[] buf, StoredSpan[] spans, int size, long[] pairHashes, int[] pairStart, int[] resourceSpans,
			int resourceSpansCount, long received, String firstError) {
		this.buf = buf;
		this.spans = spans;
		this.size = size;
		this.pairHashes = pairHashes;
		this.pairStart = pairStart;
		this.resourceSpans = resourceSpans;
		this.resourceSpansCount = resourceSpansCount;
		this.received = received;
		this.rejected = received - size;
		this.firstError = firstError;
	}

	/** The valid spans, in the order received. */
	public List<StoredSpan> spans() {
		return Arrays.asList(spans).subList(0, size);
	}

	public int size() {
		return size;
	}

	StoredSpan span(int i) {
		return spans[i];
	}

	/** Spans in the request, valid or not. */
	public long received() {
		return received;
	}

	/** Spans refused (and not in {@link #spans}): wrong-sized trace or span ids. */
	public long rejected() {
		return rejected;
	}

	/** Why the first refused span was refused; empty when none was. */
	public String firstError() {
		return firstError;
	}

}
