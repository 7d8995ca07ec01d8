package dev.vigil.telemetry.logs;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Trace id → sequence numbers of its records, so the logs of a trace are found without a scan. Sequence numbers
 * grow and eviction takes the smallest, so each list only ever loses its head. Guarded by the store's lock.
 */
final class TraceIndex {

	record Key(long hi, long lo) {

	}

	/** Ascending sequence numbers with a moving head; small because a trace has few log lines. */
	static final class Seqs {

		long[] seqs = new long[2];

		int head;

		int size;

		void add(long seq) {
			if (head + size == seqs.length) {
				if (head > 0) {
					System.arraycopy(seqs, head, seqs, 0, size);
					head = 0;
				}
				if (size == seqs.length) {
					seqs = Arrays.copyOf(seqs, seqs.length * 2);
				}
			}
			seqs[head + size++] = seq;
		}

		long get(int i) {
			return seqs[head + i];
		}

	}

	private final Map<Key, Seqs> byTrace = new HashMap<>();

	void add(long hi, long lo, long seq) {
		byTrace.computeIfAbsent(new Key(hi, lo), key -> new Seqs()).add(seq);
	}

	/** The record {@code seq} of this trace was evicted (it is the trace's oldest). */
	void evicted(long hi, long lo, long seq) {
		Key key = new Key(hi, lo);
		Seqs seqs = byTrace.get(key);
		if (seqs == null) {
			return;
		}
		while (seqs.size > 0 && seqs.get(0) <= seq) {
			seqs.head++;
			seqs.size--;
		}
		if (seqs.size == 0) {
			byTrace.remove(key);
		}
	}

	Seqs get(long hi, long lo) {
		return byTrace.get(new Key(hi, lo));
	}

	int traces() {
		return byTrace.size();
	}

}
