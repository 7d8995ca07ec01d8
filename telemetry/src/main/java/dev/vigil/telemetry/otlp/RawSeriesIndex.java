package dev.vigil.telemetry.otlp;

import dev.vigil.telemetry.otlp.wire.ProtoCursor;
import java.util.Arrays;

/**
 * The translated series of data points keyed by the raw protobuf bytes of their attributes (within a metric
 * context), so that a series arriving every export interval is found by hashing and comparing bytes: no strings,
 * attribute messages or label sets. Equal bytes mean equal attributes; equal attributes sent as different bytes just
 * take two entries for the same series.
 *
 * <p>An open-addressing table of immutable entries: lookups take no lock (an entry is published with final fields,
 * a grown table through a volatile write), inserts synchronise. Bounded: when full it starts over, which only costs
 * translating again.
 */
final class RawSeriesIndex {

	private static final class Entry {

		final Object context;
		final byte[] key;
		final int hash;
		final Object value;

		Entry(Object context, byte[] key, int hash, Object value) {
			this.context = context;
			this.key = key;
			this.hash = hash;
			this.value = value;
		}

	}

	private final int maxEntries;
	private volatile Entry[] table = new Entry[1024];
	private int size;

	RawSeriesIndex(int maxEntries) {
		this.maxEntries = maxEntries;
	}

	/** What was put for the bytes {@code [from, to)} of {@code buf} in {@code context}, or null. */
	Object get(Object context, byte[] buf, int from, int to) {
		int h = hash(context, buf, from, to);
		Entry[] t = table;
		int mask = t.length - 1;
		for (int i = h & mask;; i = (i + 1) & mask) {
			Entry e = t[i];
			if (e == null) {
				return null;
			}
			if (e.hash == h && e.context == context && Arrays.equals(e.key, 0, e.key.length, buf, from, to)) {
				return e.value;
			}
		}
	}

	synchronized void put(Object context, byte[] buf, int from, int to, Object value) {
		if (size >= maxEntries) {
			table = new Entry[1024];
			size = 0;
		}
		int h = hash(context, buf, from, to);
		Entry[] t = table;
		if (2 * (size + 1) > t.length) {
			// readers keep probing the old table until the grown one is published
			Entry[] grown = new Entry[t.length * 2];
			for (Entry e : t) {
				if (e != null) {
					insert(grown, e);
				}
			}
			t = grown;
		}
		if (insert(t, new Entry(context, Arrays.copyOfRange(buf, from, to), h, value))) {
			size++;
		}
		table = t;
	}

	/** @return whether a new key was added (rather than a value replaced) */
	private static boolean insert(Entry[] t, Entry e) {
		int mask = t.length - 1;
		for (int i = e.hash & mask;; i = (i + 1) & mask) {
			Entry old = t[i];
			if (old == null) {
				t[i] = e;
				return true;
			}
			if (old.hash == e.hash && old.context == e.context && Arrays.equals(old.key, e.key)) {
				t[i] = e;
				return false;
			}
		}
	}

	synchronized int size() {
		return size;
	}

	synchronized void clear() {
		table = new Entry[1024];
		size = 0;
	}

	private static int hash(Object context, byte[] buf, int from, int to) {
		long h = System.identityHashCode(context) * 0x9E3779B97F4A7C15L + (to - from);
		int i = from;
		for (; i + 8 <= to; i += 8) {
			h = Long.rotateLeft(h ^ (ProtoCursor.fixed64At(buf, i) * 0xC2B2AE3D27D4EB4FL), 31)
					* 0x9E3779B185EBCA87L;
		}
		for (; i < to; i++) {
			h = (h ^ (buf[i] & 0xff)) * 0x9E3779B185EBCA87L;
		}
		h ^= h >>> 29;
		h *= 0xBF58476D1CE4E5B9L;
		h ^= h >>> 32;
		return (int) h;
	}

}
