package dev.vigil.telemetry.tsdb;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One series in the head: sealed chunks plus the open chunk being appended to. Guarded by its own monitor. Outside
 * this package it is only an opaque handle ({@link Storage#seriesRef}) that lets a writer skip the label-set lookup.
 */
public final class MemSeries {

	static final int SAMPLES_PER_CHUNK = 120;

	final Labels labels;
	final long overheadBytes;
	private final ArrayDeque<XorChunk> sealed = new ArrayDeque<>();
	private XorChunk head;
	private long lastT = Long.MIN_VALUE;
	private double lastV;
	// set once the storage has dropped the series; a writer still holding it must look the labels up again
	private boolean removed;

	MemSeries(Labels labels) {
		this.labels = labels;
		long b = 160;
		for (int i = 0; i < labels.size(); i++) {
			b += 48 + 2L * (labels.name(i).length() + labels.value(i).length());
		}
		this.overheadBytes = b;
	}

	enum AppendResult { OK, IDENTICAL, OUT_OF_ORDER, DUPLICATE, REMOVED }

	synchronized void markRemoved() {
		removed = true;
	}

	/**
	 * Appends a sample; adds the change in chunk bytes to {@code bytesDelta[0]} so the caller can account
	 * for memory.
	 */
	synchronized AppendResult append(long t, double v, long[] bytesDelta) {
		if (removed) {
			return AppendResult.REMOVED;
		}
		if (t < lastT) {
			return AppendResult.OUT_OF_ORDER;
		}
		if (t == lastT) {
			// identical re-sends are harmless; a different value for the same timestamp is an error in Prometheus
			return Double.doubleToRawLongBits(v) == Double.doubleToRawLongBits(lastV) ? AppendResult.IDENTICAL
					: AppendResult.DUPLICATE;
		}
		if (head == null) {
			head = new XorChunk();
			bytesDelta[0] += head.bytes();
		}
		XorChunk c = head;
		long before = c.bytes();
		c.append(t, v);
		lastT = t;
		lastV = v;
		if (c.count() >= SAMPLES_PER_CHUNK) {
			c.seal();
			sealed.addLast(c);
			head = null;
		}
		// the open chunk counts too, or many series with young chunks could exceed the budget unnoticed; the
		// sealed deque is not touched on ordinary appends (at high rates every extra cache line per sample shows)
		bytesDelta[0] += c.bytes() - before;
		return AppendResult.OK;
	}

	synchronized long lastTimestamp() {
		return lastT;
	}

	synchronized boolean isEmpty() {
		return sealed.isEmpty() && (head == null || head.count() == 0);
	}

	synchronized long minTime() {
		XorChunk c = sealed.isEmpty() ? head : sealed.peekFirst();
		return c == null ? Long.MAX_VALUE : c.minT();
	}

	/** The newest sample of the oldest chunk (retention drops whole chunks), or MAX_VALUE when empty. */
	synchronized long oldestChunkEnd() {
		XorChunk c = sealed.isEmpty() ? head : sealed.peekFirst();
		return c == null ? Long.MAX_VALUE : c.maxT();
	}

	synchronized long maxTime() {
		return head != null ? head.maxT() : sealed.isEmpty() ? Long.MIN_VALUE : sealed.peekLast().maxT();
	}

	synchronized long encodedBytes() {
		long b = head == null ? 0 : head.encodedBytes();
		for (XorChunk c : sealed) {
			b += c.encodedBytes();
		}
		return b;
	}

	synchronized long headBytes() {
		return head == null ? 0 : head.bytes();
	}

	/** Oldest sealed chunk's min time, or MAX_VALUE. */
	synchronized long oldestSealedMinT() {
		return sealed.isEmpty() ? Long.MAX_VALUE : sealed.peekFirst().minT();
	}

	/** Drops the oldest sealed chunk; returns the freed bytes and sample count. */
	synchronized long[] dropOldestSealed() {
		XorChunk c = sealed.pollFirst();
		return c == null ? new long[] { 0, 0 } : new long[] { c.bytes(), c.count() };
	}

	/** Drops chunks that end before {@code mint}; returns freed bytes and samples. */
	synchronized long[] truncateBefore(long mint) {
		long bytes = 0;
		long samples = 0;
		Iterator<XorChunk> it = sealed.iterator();
		while (it.hasNext()) {
			XorChunk c = it.next();
			if (c.maxT() >= mint) {
				break;
			}
			bytes += c.bytes();
			samples += c.count();
			it.remove();
		}
		if (sealed.isEmpty() && head != null && head.maxT() < mint) {
			samples += head.count();
			bytes += head.bytes();
			head = null;
		}
		return new long[] { bytes, samples };
	}

	synchronized SeriesData read(long mint, long maxt) {
		int capacity = 0;
		for (XorChunk c : sealed) {
			if (c.maxT() >= mint && c.minT() <= maxt) {
				capacity += c.count();
			}
		}
		if (head != null) {
			capacity += head.count();
		}
		LongDoubleBuffer buf = new LongDoubleBuffer(capacity);
		for (XorChunk c : sealed) {
			if (c.maxT() < mint || c.minT() > maxt) {
				continue;
			}
			c.decode((t, v) -> {
				if (t >= mint && t <= maxt) {
					buf.add(t, v);
				}
			});
		}
		if (head != null && head.count() > 0 && head.maxT() >= mint && head.minT() <= maxt) {
			head.decode((t, v) -> {
				if (t >= mint && t <= maxt) {
					buf.add(t, v);
				}
			});
		}
		if (buf.size == 0) {
			return null;
		}
		return new SeriesData(labels, buf.times(), buf.values());
	}

	/** Snapshot of the chunks for persistence: sealed ones as-is plus the head re-encoded. */
	synchronized List<ChunkImage> chunkImages() {
		List<ChunkImage> out = new ArrayList<>();
		for (XorChunk c : sealed) {
			out.add(new ChunkImage(c.count(), c.data()));
		}
		if (head != null && head.count() > 0) {
			out.add(new ChunkImage(head.count(), head.data()));
		}
		return out;
	}

	record ChunkImage(int count, byte[] data) {
	}

	/** Growable parallel arrays. */
	static final class LongDoubleBuffer {

		long[] t;
		double[] v;
		int size;

		LongDoubleBuffer(int capacity) {
			t = new long[Math.max(1, capacity)];
			v = new double[Math.max(1, capacity)];
		}

		void add(long ts, double val) {
			if (size == t.length) {
				t = java.util.Arrays.copyOf(t, size * 2);
				v = java.util.Arrays.copyOf(v, size * 2);
			}
			t[size] = ts;
			v[size] = val;
			size++;
		}

		long[] times() {
			return size == t.length ? t : java.util.Arrays.copyOf(t, size);
		}

		double[] values() {
			return size == v.length ? v : java.util.Arrays.copyOf(v, size);
		}

	}

}
