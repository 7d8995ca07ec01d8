package dev.vigil.telemetry.otlp;

import dev.vigil.telemetry.tsdb.Labels;
import dev.vigil.telemetry.tsdb.Matcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Keeps the last few exemplars of each series in a small ring, like Prometheus's circular exemplar storage but per
 * series. Bounded in series too: once full, exemplars of new series are dropped and counted.
 */
public final class ExemplarStore {

	private final int perSeries;
	private final int maxSeries;
	private final ConcurrentHashMap<Labels, Ring> rings = new ConcurrentHashMap<>();
	private final LongAdder dropped = new LongAdder();

	public ExemplarStore(int perSeries, int maxSeries) {
		this.perSeries = perSeries;
		this.maxSeries = maxSeries;
	}

	void add(Labels series, Exemplar e) {
		Ring r = rings.get(series);
		if (r == null) {
			if (rings.size() >= maxSeries) {
				dropped.increment();
				return;
			}
			r = rings.computeIfAbsent(series, k -> new Ring(perSeries));
		}
		r.add(e);
	}

	/** Exemplars in [start, end] of series matching all matchers, grouped by series. */
	public Map<Labels, List<Exemplar>> select(long start, long end, List<Matcher> matchers) {
		Map<Labels, List<Exemplar>> out = new java.util.TreeMap<>();
		rings.forEach((labels, ring) -> {
			for (Matcher m : matchers) {
				if (!m.matches(labels.get(m.name()))) {
					return;
				}
			}
			List<Exemplar> in = new ArrayList<>();
			for (Exemplar e : ring.snapshot()) {
				if (e.timestampMillis() >= start && e.timestampMillis() <= end) {
					in.add(e);
				}
			}
			if (!in.isEmpty()) {
				out.put(labels, in);
			}
		});
		return out;
	}

	public long dropped() {
		return dropped.sum();
	}

	public int seriesCount() {
		return rings.size();
	}

	private static final class Ring {

		private final Exemplar[] items;
		private int next;
		private int size;

		Ring(int capacity) {
			this.items = new Exemplar[capacity];
		}

		synchronized void add(Exemplar e) {
			items[next] = e;
			next = (next + 1) % items.length;
			size = Math.min(size + 1, items.length);
		}

		synchronized List<Exemplar> snapshot() {
			List<Exemplar> out = new ArrayList<>(size);
			for (int i = 0; i < size; i++) {
				out.add(items[(next - size + i + items.length) % items.length]);
			}
			return out;
		}

	}

}
