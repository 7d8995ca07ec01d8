package dev.vigil.telemetry.otlp;

import dev.vigil.telemetry.tsdb.Labels;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns delta-temporality samples into cumulative ones by keeping a running total per series, as the Collector's
 * {@code deltatocumulative} processor does. Bounded: the least recently updated series are forgotten first, and a
 * forgotten series restarts from zero, which PromQL's {@code rate()} reads as an ordinary counter reset.
 */
final class DeltaCumulator {

	private final int maxSeries;
	private final LinkedHashMap<Labels, long[]> lastTime;
	private final Map<Labels, double[]> totals = new java.util.HashMap<>();
	private long evicted;

	DeltaCumulator(int maxSeries) {
		this.maxSeries = maxSeries;
		this.lastTime = new LinkedHashMap<>(1024, 0.75f, true) {
			@Override
			protected boolean removeEldestEntry(Map.Entry<Labels, long[]> eldest) {
				if (size() > DeltaCumulator.this.maxSeries) {
					totals.remove(eldest.getKey());
					evicted++;
					return true;
				}
				return false;
			}
		};
	}

	/**
	 * Adds a delta observed at {@code t} and returns the running total, or NaN when the delta is older than one
	 * already added for the series (a replayed or out-of-order delta must not be counted twice).
	 */
	synchronized double add(Labels series, long t, double delta) {
		long[] last = lastTime.get(series);
		if (last == null) {
			last = new long[] { Long.MIN_VALUE };
			lastTime.put(series, last);
		}
		double[] total = totals.computeIfAbsent(series, k -> new double[1]);
		if (t <= last[0]) {
			return Double.NaN;
		}
		last[0] = t;
		total[0] += delta;
		return total[0];
	}

	synchronized int size() {
		return lastTime.size();
	}

	synchronized long evicted() {
		return evicted;
	}

}
