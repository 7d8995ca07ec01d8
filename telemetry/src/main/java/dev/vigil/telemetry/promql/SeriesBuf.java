package dev.vigil.telemetry.promql;

import dev.vigil.telemetry.tsdb.Labels;

import java.util.Arrays;

/** A growable series of points produced during evaluation (the Prometheus {@code Series}). */
final class SeriesBuf {

	Labels metric;
	boolean dropName;
	long[] t;
	double[] v;
	int n;

	SeriesBuf(Labels metric, boolean dropName, int capacity) {
		this.metric = metric;
		this.dropName = dropName;
		this.t = new long[Math.max(1, capacity)];
		this.v = new double[Math.max(1, capacity)];
	}

	SeriesBuf(Labels metric, boolean dropName, long[] t, double[] v) {
		this.metric = metric;
		this.dropName = dropName;
		this.t = t;
		this.v = v;
		this.n = t.length;
	}

	void add(long ts, double val) {
		if (n == t.length) {
			t = Arrays.copyOf(t, n * 2);
			v = Arrays.copyOf(v, n * 2);
		}
		t[n] = ts;
		v[n] = val;
		n++;
	}

	long lastT() {
		return n == 0 ? Long.MIN_VALUE : t[n - 1];
	}

}
