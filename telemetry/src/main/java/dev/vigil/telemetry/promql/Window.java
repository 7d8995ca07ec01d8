package dev.vigil.telemetry.promql;

import dev.vigil.telemetry.tsdb.Labels;

/**
 * The points of one series inside a range-function window: indexes [from, to) of the arrays. {@code rangeStart} and
 * {@code rangeEnd} are the window bounds in ms and {@code rangeMillis} its length (for extrapolation).
 */
record Window(Labels metric, boolean dropName, long[] t, double[] v, int from, int to, long rangeStart, long rangeEnd,
		long rangeMillis) {

	int size() {
		return to - from;
	}

	double firstV() {
		return v[from];
	}

	double lastV() {
		return v[to - 1];
	}

	long firstT() {
		return t[from];
	}

	long lastT() {
		return t[to - 1];
	}

}
