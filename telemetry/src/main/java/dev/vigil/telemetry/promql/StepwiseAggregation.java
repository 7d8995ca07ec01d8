package dev.vigil.telemetry.promql;

import dev.vigil.telemetry.tsdb.Labels;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * sum, avg, count, group, min and max without a parameter, evaluated with one accumulator per group carried across
 * the steps: the group of each input series is resolved once, and no per-step vector, group map or sample list is
 * built. Produces exactly what the generic per-step evaluation in {@link AggregationEvaluation} produces: the same
 * accumulation order (input series order), the same Kahan-compensated sums and the same output series order.
 */
final class StepwiseAggregation {

	private final Aggregation op;
	private final double[] acc;
	private final double[] comp;
	private final double[] mean;
	private final double[] meanComp;
	private final boolean[] incremental;
	private final int[] count;

	private StepwiseAggregation(Aggregation op, int groups) {
		this.op = op;
		this.acc = new double[groups];
		this.comp = new double[groups];
		this.mean = op == Aggregation.AVG ? new double[groups] : null;
		this.meanComp = op == Aggregation.AVG ? new double[groups] : null;
		this.incremental = op == Aggregation.AVG ? new boolean[groups] : null;
		this.count = new int[groups];
	}

	static boolean supports(Expr.Aggregate a) {
		if (a.param() != null) {
			return false;
		}
		return switch (a.op()) {
			case SUM, AVG, COUNT, GROUP, MIN, MAX -> true;
			default -> false;
		};
	}

	/**
	 * @param in the evaluated input vector (one point per step at most per series)
	 * @param keyOf the group labels of an input series
	 * @param byName whether grouping keeps the metric name, so the groups inherit delayed name removal
	 */
	static List<SeriesBuf> eval(Evaluator ev, Aggregation op, List<SeriesBuf> in, Function<Labels, Labels> keyOf,
			boolean byName) {
		int[] groupOf = new int[in.size()];
		Map<Labels, Integer> ids = new HashMap<>();
		List<Labels> groupLabels = new ArrayList<>();
		for (int si = 0; si < in.size(); si++) {
			Labels key = keyOf.apply(in.get(si).metric);
			Integer id = ids.get(key);
			if (id == null) {
				id = groupLabels.size();
				ids.put(key, id);
				groupLabels.add(key);
			}
			groupOf[si] = id;
		}
		int groups = groupLabels.size();
		StepwiseAggregation state = new StepwiseAggregation(op, groups);
		int[] cursor = new int[in.size()];
		int[] touchedAt = new int[groups];
		java.util.Arrays.fill(touchedAt, -1);
		boolean[] dropName = new boolean[groups];
		int[] order = new int[groups];
		SeriesBuf[] outOf = new SeriesBuf[groups];
		List<SeriesBuf> out = new ArrayList<>();
		int n = ev.steps();
		for (int i = 0; i < n; i++) {
			if ((i & 63) == 0) {
				ev.query.limits().checkTime();
			}
			long ts = ev.stepTime(i);
			int touched = 0;
			for (int si = 0; si < groupOf.length; si++) {
				SeriesBuf s = in.get(si);
				int c = cursor[si];
				if (c >= s.n || s.t[c] != ts) {
					continue;
				}
				cursor[si] = c + 1;
				int g = groupOf[si];
				if (touchedAt[g] != i) {
					touchedAt[g] = i;
					order[touched++] = g;
					dropName[g] = false;
					state.reset(g);
				}
				dropName[g] |= s.dropName;
				state.add(g, s.v[c]);
			}
			// groups are emitted in the order their first sample appeared at this step, as the generic path does
			for (int k = 0; k < touched; k++) {
				int g = order[k];
				boolean drop = byName && dropName[g];
				SeriesBuf o = outOf[g];
				if (o == null) {
					o = new SeriesBuf(groupLabels.get(g), drop, n);
					outOf[g] = o;
					out.add(o);
				}
				else if (drop) {
					o.dropName = true;
				}
				o.add(ts, state.result(g));
			}
		}
		return out;
	}

	private void reset(int g) {
		acc[g] = op == Aggregation.MIN || op == Aggregation.MAX ? Double.NaN : 0;
		comp[g] = 0;
		count[g] = 0;
		if (op == Aggregation.AVG) {
			mean[g] = 0;
			meanComp[g] = 0;
			incremental[g] = false;
		}
	}

	private void add(int g, double v) {
		count[g]++;
		switch (op) {
			case SUM -> kahanAdd(acc, comp, g, v);
			case MIN -> {
				if (Double.isNaN(acc[g]) || v < acc[g]) {
					acc[g] = v;
				}
			}
			case MAX -> {
				if (Double.isNaN(acc[g]) || v > acc[g]) {
					acc[g] = v;
				}
			}
			case AVG -> addToAverage(g, v);
			default -> {
			}
		}
	}

	// AggregationEvaluation.avg, one sample at a time: a Kahan sum until it overflows, then an incremental mean
	private void addToAverage(int g, double v) {
		int n = count[g];
		if (!incremental[g]) {
			if (!Double.isInfinite(acc[g] + v) || Double.isInfinite(v)) {
				kahanAdd(acc, comp, g, v);
				return;
			}
			incremental[g] = true;
			mean[g] = acc[g] / (n - 1);
			meanComp[g] = comp[g] / (n - 1);
		}
		double q = (n - 1) / (double) n;
		mean[g] = q * mean[g];
		meanComp[g] = q * meanComp[g];
		kahanAdd(mean, meanComp, g, v / n);
	}

	private double result(int g) {
		return switch (op) {
			case SUM -> acc[g] + comp[g];
			case COUNT -> count[g];
			case GROUP -> 1;
			case MIN, MAX -> acc[g];
			case AVG -> incremental[g] ? mean[g] + meanComp[g] : (acc[g] + comp[g]) / count[g];
			default -> throw new IllegalStateException("aggregation " + op);
		};
	}

	/** {@link Functions#kahanInc} on array slots. */
	private static void kahanAdd(double[] sum, double[] c, int g, double inc) {
		double s = sum[g];
		double t = s + inc;
		if (Double.isInfinite(t)) {
			c[g] = 0;
		}
		else if (Math.abs(s) >= Math.abs(inc)) {
			c[g] += (s - t) + inc;
		}
		else {
			c[g] += (inc - t) + s;
		}
		sum[g] = t;
	}

}
