package dev.vigil.telemetry.promql;

import dev.vigil.telemetry.tsdb.Labels;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Aggregation operators, evaluated per step over groups formed by by/without. */
final class AggregationEvaluation {

	private AggregationEvaluation() {
	}

	static List<SeriesBuf> eval(Evaluator ev, Expr.Aggregate a) {
		List<Object> args = new ArrayList<>();
		List<ValueType> types = new ArrayList<>();
		args.add(ev.eval(a.expr()));
		types.add(ValueType.VECTOR);
		if (a.param() != null) {
			args.add(ev.eval(a.param()));
			types.add(a.param().type());
		}
		StepContext ctx = ev.newContext();
		Set<String> grouping = new HashSet<>(a.grouping());
		Set<String> excluded = new HashSet<>(a.grouping());
		excluded.add(Labels.METRIC_NAME);
		// input series keep their Labels instances across steps, so group keys are computed once per series
		// and interned, so group lookups hit the identity fast path of Labels.equals
		Map<Labels, Labels> keys = new java.util.HashMap<>();
		Map<Labels, Labels> interned = new java.util.HashMap<>();
		java.util.function.Function<Labels, Labels> keyOf = l -> {
			Labels k = keys.get(l);
			if (k == null) {
				k = a.without() ? l.without(excluded) : l.keep(grouping);
				k = interned.computeIfAbsent(k, x -> x);
				keys.put(l, k);
			}
			return k;
		};
		if (StepwiseAggregation.supports(a)) {
			boolean byName = !a.without() && grouping.contains(Labels.METRIC_NAME);
			return StepwiseAggregation.eval(ev, a.op(), Evaluator.asMatrix(args.get(0)), keyOf, byName);
		}
		return ev.rangeEval(args, types, in -> {
			@SuppressWarnings("unchecked")
			List<VSample> vec = (List<VSample>) in.get(0);
			Object param = in.size() > 1 ? in.get(1) : null;
			step(a, grouping, keyOf, vec, param, ctx);
		}, ctx, false);
	}

	private static final class Group {

		final Labels labels;
		final List<VSample> samples = new ArrayList<>();
		boolean dropName;

		Group(Labels labels) {
			this.labels = labels;
		}

	}

	private static void step(Expr.Aggregate a, Set<String> grouping, java.util.function.Function<Labels, Labels> keyOf,
			List<VSample> vec, Object param, StepContext ctx) {
		Aggregation op = a.op();
		double p = param instanceof Double d ? d : Double.NaN;
		if (op == Aggregation.TOPK || op == Aggregation.BOTTOMK || op == Aggregation.LIMITK) {
			if (Double.isNaN(p)) {
				throw PromQLException.execution("Parameter value is NaN");
			}
			if (Math.abs(p) >= 9.2e18) {
				throw PromQLException.execution("Scalar value " + Num.format(p) + " overflows int64");
			}
		}
		if (op == Aggregation.LIMIT_RATIO) {
			if (Double.isNaN(p)) {
				throw PromQLException.execution("Ratio value is NaN");
			}
			if (p < -1 || p > 1) {
				double capped = p < -1 ? -1 : 1;
				ctx.annotations.warn("ratio value should be between -1 and 1, got " + Num.format(p) + ", capping to "
						+ Num.format(capped), a.param());
				p = capped;
			}
		}
		if (op == Aggregation.QUANTILE && (Double.isNaN(p) || p < 0 || p > 1)) {
			ctx.annotations.warn("quantile value should be between 0 and 1, got " + Num.format(p), a.param());
		}
		String countLabel = param instanceof String s ? s : null;
		if (op == Aggregation.COUNT_VALUES && !validLabelName(countLabel)) {
			throw PromQLException.execution("invalid label name \"" + countLabel + "\"");
		}
		Map<Labels, Group> groups = new LinkedHashMap<>();
		boolean byName = !a.without() && grouping.contains(Labels.METRIC_NAME);
		for (VSample s : vec) {
			Labels key = keyOf.apply(s.metric());
			Group g = groups.computeIfAbsent(key, Group::new);
			g.samples.add(s);
			if (s.dropName()) {
				g.dropName = true;
			}
		}
		for (Group g : groups.values()) {
			boolean dropName = byName && g.dropName;
			switch (op) {
				case SUM -> ctx.emit(g.labels, sum(g.samples), dropName);
				case AVG -> ctx.emit(g.labels, avg(g.samples), dropName);
				case COUNT -> ctx.emit(g.labels, g.samples.size(), dropName);
				case GROUP -> ctx.emit(g.labels, 1, dropName);
				case MIN, MAX -> {
					double r = Double.NaN;
					for (VSample s : g.samples) {
						double v = s.v();
						if (Double.isNaN(r) || (op == Aggregation.MIN ? v < r : v > r)) {
							r = v;
						}
					}
					ctx.emit(g.labels, r, dropName);
				}
				case STDDEV, STDVAR -> {
					double mean = 0;
					double m2 = 0;
					int count = 0;
					for (VSample s : g.samples) {
						count++;
						double delta = s.v() - mean;
						mean += delta / count;
						m2 += delta * (s.v() - mean);
					}
					double var = m2 / count;
					ctx.emit(g.labels, op == Aggregation.STDVAR ? var : Math.sqrt(var), dropName);
				}
				case QUANTILE -> {
					double[] vals = new double[g.samples.size()];
					for (int k = 0; k < vals.length; k++) {
						vals[k] = g.samples.get(k).v();
					}
					ctx.emit(g.labels, Functions.quantile(p, vals), dropName);
				}
				case COUNT_VALUES -> {
					Map<String, Integer> counts = new LinkedHashMap<>();
					for (VSample s : g.samples) {
						counts.merge(Num.format(s.v()), 1, Integer::sum);
					}
					for (Map.Entry<String, Integer> e : counts.entrySet()) {
						ctx.emit(g.labels.toBuilder().set(countLabel, e.getKey()).build(), e.getValue(), false);
					}
				}
				case TOPK, BOTTOMK -> {
					long k = (long) p;
					if (k < 1) {
						continue;
					}
					List<VSample> sorted = new ArrayList<>(g.samples);
					Comparator<VSample> cmp = op == Aggregation.TOPK ? AggregationEvaluation::compareTop
							: AggregationEvaluation::compareBottom;
					sorted.sort(cmp);
					for (int i = 0; i < sorted.size() && i < k; i++) {
						ctx.out.add(sorted.get(i));
					}
				}
				case LIMITK -> {
					long k = (long) p;
					for (int i = 0; i < g.samples.size() && i < k; i++) {
						ctx.out.add(g.samples.get(i));
					}
				}
				case LIMIT_RATIO -> {
					for (VSample s : g.samples) {
						double offset = ratioOffset(s.metric());
						boolean keep = p >= 0 ? offset < p : offset >= 1 + p;
						if (keep) {
							ctx.out.add(s);
						}
					}
				}
				default -> throw new IllegalStateException("aggregation " + op);
			}
		}
	}

	// NaN sorts last for topk and bottomk, as in Prometheus
	private static int compareTop(VSample x, VSample y) {
		if (Double.isNaN(x.v())) {
			return Double.isNaN(y.v()) ? 0 : 1;
		}
		if (Double.isNaN(y.v())) {
			return -1;
		}
		return Double.compare(y.v(), x.v());
	}

	private static int compareBottom(VSample x, VSample y) {
		if (Double.isNaN(x.v())) {
			return Double.isNaN(y.v()) ? 0 : 1;
		}
		if (Double.isNaN(y.v())) {
			return -1;
		}
		return Double.compare(x.v(), y.v());
	}

	/** Prometheus's HashRatioSampler offset: the label hash as a fraction of the uint64 range. */
	private static double ratioOffset(Labels l) {
		long h = l.stableHash();
		double unsigned = (double) (h >>> 1) * 2.0 + (h & 1);
		return unsigned / 18446744073709551615.0;
	}

	/** Prometheus 3 accepts any valid UTF-8 label name; U+FFFD marks bytes that were not valid UTF-8. */
	static boolean validLabelName(String s) {
		return s != null && !s.isEmpty() && s.indexOf('\uFFFD') < 0;
	}

	/** Kahan-compensated sum, as Prometheus uses for sum and avg. */
	static double sum(List<VSample> samples) {
		double sum = 0;
		double c = 0;
		for (VSample s : samples) {
			double[] r = Functions.kahanInc(s.v(), sum, c);
			sum = r[0];
			c = r[1];
		}
		return sum + c;
	}

	static double avg(List<VSample> samples) {
		double sum = 0;
		double c = 0;
		double mean = 0;
		double kc = 0;
		boolean incremental = false;
		int count = 0;
		for (VSample s : samples) {
			count++;
			double v = s.v();
			if (!incremental) {
				double[] r = Functions.kahanInc(v, sum, c);
				if (!Double.isInfinite(r[0]) || Double.isInfinite(v)) {
					sum = r[0];
					c = r[1];
					continue;
				}
				// overflow: switch to an incremental mean
				incremental = true;
				mean = sum / (count - 1);
				kc = c / (count - 1);
			}
			double q = (count - 1) / (double) count;
			double[] r = Functions.kahanInc(v / count, q * mean, q * kc);
			mean = r[0];
			kc = r[1];
		}
		if (incremental) {
			return mean + kc;
		}
		return (sum + c) / count;
	}

}
