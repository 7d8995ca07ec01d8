package dev.vigil.telemetry.promql;

import dev.vigil.telemetry.tsdb.Labels;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Binary operators between scalars and vectors, including vector matching (Prometheus engine semantics). */
final class BinaryEvaluation {

	private BinaryEvaluation() {
	}

	static List<SeriesBuf> eval(Evaluator ev, Expr.Binary b) {
		ValueType lt = b.lhs().type();
		ValueType rt = b.rhs().type();
		List<Object> args = List.of(ev.eval(b.lhs()), ev.eval(b.rhs()));
		StepContext ctx = ev.newContext();
		BinaryOp op = b.op();
		if (lt == ValueType.SCALAR && rt == ValueType.SCALAR) {
			return ev.rangeEval(args, List.of(lt, rt), a -> {
				double l = (Double) a.get(0);
				double r = (Double) a.get(1);
				ctx.emit(Labels.EMPTY, op.apply(l, r), false);
			}, ctx, true);
		}
		if (lt == ValueType.VECTOR && rt == ValueType.VECTOR) {
			return ev.rangeEval(args, List.of(lt, rt), a -> {
				@SuppressWarnings("unchecked")
				List<VSample> l = (List<VSample>) a.get(0);
				@SuppressWarnings("unchecked")
				List<VSample> r = (List<VSample>) a.get(1);
				switch (op) {
					case AND -> and(l, r, b.matching(), ctx);
					case OR -> or(l, r, b.matching(), ctx);
					case UNLESS -> unless(l, r, b.matching(), ctx);
					default -> vectorBinop(op, l, r, b.matching(), b.returnBool(), ctx);
				}
			}, ctx, false);
		}
		boolean scalarLeft = lt == ValueType.SCALAR;
		return ev.rangeEval(args, List.of(lt, rt), a -> {
			@SuppressWarnings("unchecked")
			List<VSample> vec = (List<VSample>) (scalarLeft ? a.get(1) : a.get(0));
			double scalar = (Double) (scalarLeft ? a.get(0) : a.get(1));
			for (VSample s : vec) {
				double l = scalarLeft ? scalar : s.v();
				double r = scalarLeft ? s.v() : scalar;
				double val = op.apply(l, r);
				if (op.isComparison()) {
					boolean keep = val == 1;
					if (b.returnBool()) {
						ctx.emit(s.metric(), keep ? 1 : 0, true);
					}
					else if (keep) {
						ctx.emit(s.metric(), s.v(), s.dropName());
					}
				}
				else {
					ctx.emit(s.metric(), val, true);
				}
			}
		}, ctx, false);
	}

	/** Signature of a sample for matching: on(...) labels, or all but ignoring(...) labels and the name. */
	static Labels signature(Labels l, Expr.VectorMatching m) {
		if (m != null && m.on()) {
			return l.keep(m.labels());
		}
		Labels.Builder b = l.toBuilder().delete(Labels.METRIC_NAME);
		if (m != null) {
			for (String n : m.labels()) {
				b.delete(n);
			}
		}
		return b.build();
	}

	private static void and(List<VSample> l, List<VSample> r, Expr.VectorMatching m, StepContext ctx) {
		Set<Labels> right = new HashSet<>();
		for (VSample s : r) {
			right.add(signature(s.metric(), m));
		}
		for (VSample s : l) {
			if (right.contains(signature(s.metric(), m))) {
				ctx.out.add(s);
			}
		}
	}

	private static void or(List<VSample> l, List<VSample> r, Expr.VectorMatching m, StepContext ctx) {
		Set<Labels> left = new HashSet<>();
		for (VSample s : l) {
			left.add(signature(s.metric(), m));
			ctx.out.add(s);
		}
		for (VSample s : r) {
			if (!left.contains(signature(s.metric(), m))) {
				ctx.out.add(s);
			}
		}
	}

	private static void unless(List<VSample> l, List<VSample> r, Expr.VectorMatching m, StepContext ctx) {
		Set<Labels> right = new HashSet<>();
		for (VSample s : r) {
			right.add(signature(s.metric(), m));
		}
		for (VSample s : l) {
			if (!right.contains(signature(s.metric(), m))) {
				ctx.out.add(s);
			}
		}
	}

	private static void vectorBinop(BinaryOp op, List<VSample> lhs, List<VSample> rhs, Expr.VectorMatching m,
			boolean returnBool, StepContext ctx) {
		if (lhs.isEmpty() || rhs.isEmpty()) {
			return;
		}
		boolean swap = m.card() == Expr.Card.ONE_TO_MANY;
		List<VSample> many = swap ? rhs : lhs;
		List<VSample> one = swap ? lhs : rhs;
		Map<Labels, VSample> oneBySig = new HashMap<>();
		for (VSample s : one) {
			Labels sig = signature(s.metric(), m);
			VSample dup = oneBySig.putIfAbsent(sig, s);
			if (dup != null) {
				String side = swap ? "left" : "right";
				List<VSample> pair = new ArrayList<>(List.of(dup, s));
				pair.sort((x, y) -> x.metric().compareTo(y.metric()));
				throw PromQLException.execution("found duplicate series for the match group " + sig
						+ " on the " + side + " hand-side of the operation: [" + fullString(pair.get(0).metric())
						+ ", " + fullString(pair.get(1).metric())
						+ "];many-to-many matching not allowed: matching labels must be unique on one side");
			}
		}
		Map<Labels, Labels> matchedOneToOne = new HashMap<>();
		Set<Labels> resultMetrics = new HashSet<>();
		for (VSample s : many) {
			Labels sig = signature(s.metric(), m);
			VSample o = oneBySig.get(sig);
			if (o == null) {
				continue;
			}
			VSample ls = swap ? o : s;
			VSample rs = swap ? s : o;
			double val = op.apply(ls.v(), rs.v());
			boolean keep = true;
			if (op.isComparison()) {
				keep = val == 1;
				if (returnBool) {
					val = keep ? 1 : 0;
					keep = true;
				}
				else {
					val = ls.v();
				}
			}
			Labels metric = resultMetric(s.metric(), o.metric(), m);
			boolean dropName = returnBool || !op.isComparison() || ls.dropName();
			if (m.card() == Expr.Card.ONE_TO_ONE) {
				Labels prev = matchedOneToOne.putIfAbsent(sig, s.metric());
				if (prev != null) {
					throw PromQLException.execution("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)");
				}
			}
			else if (!resultMetrics.add(metric)) {
				throw PromQLException.execution("multiple matches for labels: grouping labels must ensure unique matches");
			}
			if (keep) {
				ctx.emit(metric, val, dropName);
			}
		}
	}

	private static String fullString(Labels l) {
		StringBuilder sb = new StringBuilder("{");
		for (int k = 0; k < l.size(); k++) {
			if (k > 0) {
				sb.append(", ");
			}
			sb.append(l.name(k)).append("=\"").append(l.value(k)).append('"');
		}
		return sb.append('}').toString();
	}

	private static Labels resultMetric(Labels many, Labels one, Expr.VectorMatching m) {
		Labels.Builder b = many.toBuilder();
		if (m.card() == Expr.Card.ONE_TO_ONE) {
			if (m.on()) {
				Labels.Builder k = Labels.builder();
				for (String n : m.labels()) {
					k.set(n, many.get(n));
				}
				b = k;
			}
			else {
				for (String n : m.labels()) {
					b.delete(n);
				}
			}
		}
		for (String n : m.include()) {
			b.set(n, one.get(n));
		}
		return b.build();
	}

}
