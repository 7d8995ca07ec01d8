package dev.vigil.loadgen;

import java.time.Duration;

/**
 * Pass/fail criteria for a run. Null fields are not checked.
 *
 * @param maxP99 highest acceptable 99th-percentile latency over all scenarios
 * @param maxErrorRate highest acceptable errors / completed, in [0, 1]; 429s are not errors here (counted apart)
 */
public record Thresholds(Duration maxP99, Double maxErrorRate) {

	public static final Thresholds NONE = new Thresholds(null, null);

	public Thresholds {
		if (maxErrorRate != null && (maxErrorRate < 0 || maxErrorRate > 1)) {
			throw new IllegalArgumentException("maxErrorRate must be in [0, 1], got " + maxErrorRate);
		}
	}
}
