package dev.vigil.telemetry.promql;

import dev.vigil.telemetry.tsdb.Labels;
import dev.vigil.telemetry.tsdb.Queryable;
import dev.vigil.telemetry.tsdb.SeriesData;
import dev.vigil.telemetry.tsdb.StaleNaN;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates an expression over the steps [start, end] with a fixed interval, as the Prometheus engine does: every
 * instant-vector or scalar node produces a matrix with one point per step where it has a value. Instant queries are
 * the one-step case.
 */
final class Evaluator {

	/** The result of evaluating a string expression. */
	record Str(String value) {
	}

	final Queryable storage;
	final long start;
	final long end;
	final long interval;
	final Query query;

	/** Settings shared by a query's evaluators (subqueries create nested ones). */
	record Query(String text, long start, long end, long step, long lookback, long defaultSubqueryStep, Limits limits,
			Annotations annotations) {
	}

	Evaluator(Queryable storage, long start, long end, long interval, Query query) {
		this.storage = storage;
		this.start = start;
		this.end = end;
		this.interval = interval <= 0 ? 1 : interval;
		this.query = query;
	}

	int steps() {
		return (int) ((end - start) / interval) + 1;
	}

	long stepTime(int i) {
		return start + i * interval;
	}

	/** Evaluates to a matrix ({@code List<SeriesBuf>}) for scalar/vector nodes, {@link Str} for strings. */
	Object eval(Expr e) {
		query.limits.checkTime();
		if (e instanceof Expr.NumberLiteral n) {
			return constant(n.value());
		}
		if (e instanceof Expr.StringLiteral s) {
			return new Str(s.value());
		}
		if (e instanceof Expr.Paren p) {
			return eval(p.expr());
		}
		if (e instanceof Expr.VectorSelector vs) {
			return vectorSelector(vs, false);
		}
		if (e instanceof Expr.MatrixSelector ms) {
			return matrixSelector(ms);
		}
		if (e instanceof Expr.Subquery sq) {
			return subquery(sq).series;
		}
		if (e instanceof Expr.Unary u) {
			return unary(u);
		}
		if (e instanceof Expr.Binary b) {
			return BinaryEvaluation.eval(this, b);
		}
		if (e instanceof Expr.Aggregate a) {
			return AggregationEvaluation.eval(this, a);
		}
		if (e instanceof Expr.Call c) {
			return call(c);
		}
		throw new IllegalStateException("unknown expression " + e);
	}

	@SuppressWarnings("unchecked")
	List<SeriesBuf> evalMatrix(Expr e) {
		return (List<SeriesBuf>) eval(e);
	}

	List<SeriesBuf> constant(double v) {
		int n = steps();
		SeriesBuf s = new SeriesBuf(Labels.EMPTY, false, n);
		for (int i = 0; i < n; i++) {
			s.add(stepTime(i), v);
		}
		return new ArrayList<>(List.of(s));
	}

	private List<SeriesBuf> unary(Expr.Unary u) {
		List<SeriesBuf> m = evalMatrix(u.expr());
		if (!u.negate()) {
			return m;
		}
		List<SeriesBuf> out = new ArrayList<>(m.size());
		for (SeriesBuf s : m) {
			SeriesBuf r = new SeriesBuf(s.metric, u.expr().type() == ValueType.VECTOR || s.dropName,
					Arrays.copyOf(s.t, s.n), new double[s.n]);
			for (int k = 0; k < s.n; k++) {
				r.v[k] = -s.v[k];
			}
			out.add(r);
		}
		return out;
	}

	// ---- selectors

	/** The reference time for a step of a selector with offset and @. */
	long refTime(long ts, long offset, Long at, Expr.AtMode mode) {
		long base = ts;
		if (at != null) {
			base = at;
		}
		else if (mode == Expr.AtMode.START) {
			base = query.start;
		}
		else if (mode == Expr.AtMode.END) {
			base = query.end;
		}
		return base - offset;
	}

	/**
	 * Instant vector selection with the lookback delta: at each step the newest sample in (ref - lookback, ref],
	 * unless it is a staleness marker. With {@code timestamps}, values are the samples' timestamps in seconds (for
	 * {@code timestamp()}).
	 */
	List<SeriesBuf> vectorSelector(Expr.VectorSelector vs, boolean timestamps) {
		int n = steps();
		long firstRef = refTime(start, vs.offset(), vs.at(), vs.atMode());
		long lastRef = refTime(end, vs.offset(), vs.at(), vs.atMode());
		long lookback = query.lookback;
		List<SeriesData> data = storage.select(firstRef - lookback + 1, lastRef, vs.matchers());
		List<SeriesBuf> out = new ArrayList<>(data.size());
		for (SeriesData d : data) {
			query.limits.checkTime();
			SeriesBuf s = null;
			long[] t = d.timestamps();
			double[] v = d.values();
			int j = 0;
			for (int i = 0; i < n; i++) {
				long ts = stepTime(i);
				long ref = refTime(ts, vs.offset(), vs.at(), vs.atMode());
				while (j < t.length && t[j] <= ref) {
					j++;
				}
				int k = j - 1;
				if (k < 0 || t[k] <= ref - lookback || StaleNaN.is(v[k])) {
					continue;
				}
				if (s == null) {
					s = new SeriesBuf(d.labels(), false, n);
				}
				s.add(ts, timestamps ? t[k] / 1000.0 : v[k]);
			}
			if (s != null) {
				query.limits.addSamples(s.n);
				out.add(s);
			}
		}
		return out;
	}

	/** A range selector evaluated as a whole (only valid at the top of an instant query). */
	private List<SeriesBuf> matrixSelector(Expr.MatrixSelector ms) {
		Expr.VectorSelector vs = ms.selector();
		long ref = refTime(start, vs.offset(), vs.at(), vs.atMode());
		List<SeriesData> data = storage.select(ref - ms.range() + 1, ref, vs.matchers());
		List<SeriesBuf> out = new ArrayList<>();
		for (SeriesData d : data) {
			SeriesBuf s = withoutStale(d);
			if (s.n > 0) {
				query.limits.addSamples(s.n);
				out.add(s);
			}
		}
		return out;
	}

	static SeriesBuf withoutStale(SeriesData d) {
		SeriesBuf s = new SeriesBuf(d.labels(), false, d.size());
		long[] t = d.timestamps();
		double[] v = d.values();
		for (int k = 0; k < t.length; k++) {
			if (!StaleNaN.is(v[k])) {
				s.add(t[k], v[k]);
			}
		}
		return s;
	}

	/** A matrix argument prepared for windowing: series with all points any step's window may need. */
	record RangeInput(List<SeriesBuf> series, long range, long offset, Long at, Expr.AtMode atMode) {
	}

	RangeInput rangeInput(Expr e) {
		while (e instanceof Expr.Paren p) {
			e = p.expr();
		}
		if (e instanceof Expr.MatrixSelector ms) {
			Expr.VectorSelector vs = ms.selector();
			long firstRef = refTime(start, vs.offset(), vs.at(), vs.atMode());
			long lastRef = refTime(end, vs.offset(), vs.at(), vs.atMode());
			List<SeriesData> data = storage.select(firstRef - ms.range() + 1, lastRef, vs.matchers());
			List<SeriesBuf> series = new ArrayList<>(data.size());
			for (SeriesData d : data) {
				SeriesBuf s = withoutStale(d);
				query.limits.addSamples(s.n);
				series.add(s);
			}
			return new RangeInput(series, ms.range(), vs.offset(), vs.at(), vs.atMode());
		}
		if (e instanceof Expr.Subquery sq) {
			return subquery(sq);
		}
		throw new IllegalStateException("not a range expression: " + e);
	}

	/**
	 * Evaluates a subquery's inner expression at its own step, aligned to multiples of the step, covering every
	 * window the outer steps need.
	 */
	RangeInput subquery(Expr.Subquery sq) {
		long step = sq.step() > 0 ? sq.step() : query.defaultSubqueryStep;
		long firstRef = refTime(start, sq.offset(), sq.at(), sq.atMode());
		long lastRef = refTime(end, sq.offset(), sq.at(), sq.atMode());
		long from = firstRef - sq.range();
		long innerStart = Math.floorDiv(from, step) * step;
		if (innerStart <= from) {
			innerStart += step;
		}
		Evaluator inner = new Evaluator(storage, innerStart, lastRef, step, query);
		if (innerStart > lastRef) {
			return new RangeInput(new ArrayList<>(), sq.range(), sq.offset(), sq.at(), sq.atMode());
		}
		Object v = inner.eval(sq.expr());
		@SuppressWarnings("unchecked")
		List<SeriesBuf> m = (List<SeriesBuf>) v;
		return new RangeInput(m, sq.range(), sq.offset(), sq.at(), sq.atMode());
	}

	// ---- functions

	private Object call(Expr.Call c) {
		Function f = c.function();
		if (f.name().equals("timestamp")) {
			Expr arg = c.args().get(0);
			while (arg instanceof Expr.Paren p) {
				arg = p.expr();
			}
			if (arg instanceof Expr.VectorSelector vs) {
				List<SeriesBuf> m = vectorSelector(vs, true);
				for (SeriesBuf s : m) {
					s.dropName = true;
				}
				return m;
			}
		}
		int matIdx = f.matrixArgIndex();
		if (matIdx >= 0 && matIdx < c.args().size()) {
			return rangeFunction(c, matIdx);
		}
		List<Object> argVals = new ArrayList<>();
		List<ValueType> types = new ArrayList<>();
		for (Expr a : c.args()) {
			argVals.add(eval(a));
			types.add(a.type());
		}
		StepContext ctx = newContext();
		if (f.name().startsWith("sort") && query.start != query.end) {
			query.annotations.warn("sort is ineffective for range queries since results are always ordered by labels", c);
		}
		return rangeEval(argVals, types, (args) -> f.impl().call(args, c, ctx), ctx, c.type() == ValueType.SCALAR);
	}

	private List<SeriesBuf> rangeFunction(Expr.Call c, int matIdx) {
		Function f = c.function();
		List<Object> others = new ArrayList<>();
		for (int k = 0; k < c.args().size(); k++) {
			others.add(k == matIdx ? null : eval(c.args().get(k)));
		}
		RangeInput in = rangeInput(c.args().get(matIdx));
		int n = steps();
		StepContext ctx = newContext();
		// scalar arguments per step
		double[][] scalarArgs = new double[c.args().size()][];
		for (int k = 0; k < c.args().size(); k++) {
			if (k != matIdx && c.args().get(k).type() == ValueType.SCALAR) {
				scalarArgs[k] = scalarPerStep(asMatrix(others.get(k)));
			}
		}
		LinkedHashMap<Labels, SeriesBuf> out = new LinkedHashMap<>();
		boolean absent = f.name().equals("absent_over_time");
		boolean[] anyAtStep = absent ? new boolean[n] : null;
		List<Object> args = new ArrayList<>(c.args().size());
		for (int k = 0; k < c.args().size(); k++) {
			args.add(null);
		}
		boolean counterFunction = f.name().equals("rate") || f.name().equals("increase");
		// rate/increase/delta are most of what dashboards and rules ask for: computed straight from the arrays,
		// without a Window, argument list and output sample per step
		boolean extrapolated = counterFunction || f.name().equals("delta");
		int seriesDone = 0;
		for (SeriesBuf s : in.series) {
			if ((seriesDone++ & 63) == 0) {
				query.limits.checkTime();
			}
			if (counterFunction && s.n > 1) {
				checkCounterName(s.metric, c);
			}
			if (extrapolated) {
				extrapolatedSeries(s, in, counterFunction, f.name().equals("rate"), out, n);
				continue;
			}
			// functions emit the input series' Labels instance at every step: look the output up once per instance
			Labels lastMetric = null;
			SeriesBuf lastOut = null;
			RangeWindow w = new RangeWindow(s, in);
			for (int i = 0; i < n; i++) {
				long ts = stepTime(i);
				w.moveTo(ts);
				int from = w.from;
				int to = w.to;
				if (absent) {
					if (to > from) {
						anyAtStep[i] = true;
					}
					continue;
				}
				if (to == from) {
					continue;
				}
				for (int k = 0; k < args.size(); k++) {
					if (k == matIdx) {
						args.set(k, new Window(s.metric, s.dropName, s.t, s.v, from, to, w.lo, w.ref, in.range));
					}
					else if (scalarArgs[k] != null) {
						args.set(k, scalarArgs[k][i]);
					}
					else {
						Object o = others.get(k);
						args.set(k, o instanceof Str str ? str.value() : o);
					}
				}
				ctx.ts = ts;
				ctx.out.clear();
				f.impl().call(args, c, ctx);
				for (VSample r : ctx.out) {
					SeriesBuf o = r.metric() == lastMetric ? lastOut : out.get(r.metric());
					if (o == null) {
						o = new SeriesBuf(r.metric(), r.dropName(), n);
						out.put(r.metric(), o);
					}
					else if (o.lastT() == ts) {
						throw PromQLException.execution("vector cannot contain metrics with the same labelset");
					}
					o.add(ts, r.v());
					lastMetric = r.metric();
					lastOut = o;
				}
			}
		}
		if (absent) {
			Labels l = Functions.absentLabels(c.args().get(0));
			SeriesBuf s = new SeriesBuf(l, false, n);
			for (int i = 0; i < n; i++) {
				if (!anyAtStep[i]) {
					s.add(stepTime(i), 1);
				}
			}
			List<SeriesBuf> r = new ArrayList<>();
			if (s.n > 0) {
				r.add(s);
			}
			return r;
		}
		return new ArrayList<>(out.values());
	}

	/**
	 * The points of one series inside the range window {@code (ref - range, ref]} at successive evaluation steps:
	 * both ends only move forward, so a whole range query scans each series once. With {@code @} the reference
	 * time does not move with the step; the window is found again from the start then.
	 */
	private final class RangeWindow {

		private final SeriesBuf s;
		private final RangeInput in;
		private final boolean fixedRef;
		int from;
		int to;
		long ref;
		long lo;

		RangeWindow(SeriesBuf s, RangeInput in) {
			this.s = s;
			this.in = in;
			this.fixedRef = in.at != null || in.atMode != Expr.AtMode.NONE;
		}

		void moveTo(long stepTime) {
			ref = refTime(stepTime, in.offset, in.at, in.atMode);
			lo = ref - in.range;
			if (fixedRef) {
				from = 0;
				to = 0;
			}
			while (to < s.n && s.t[to] <= ref) {
				to++;
			}
			while (from < to && s.t[from] <= lo) {
				from++;
			}
		}

	}

	/**
	 * rate/increase/delta of one series at every step, sliding the window [ref - range, ref] forward over the
	 * series' points (the same windows and values as the generic path, which calls the function per step).
	 */
	private void extrapolatedSeries(SeriesBuf s, RangeInput in, boolean isCounter, boolean isRate,
			Map<Labels, SeriesBuf> out, int n) {
		// resets[k]: counter resets among points 1..k, so a window without one is not scanned point by point
		int[] resets = null;
		if (isCounter) {
			resets = new int[s.n];
			for (int k = 1; k < s.n; k++) {
				resets[k] = resets[k - 1] + (s.v[k] < s.v[k - 1] ? 1 : 0);
			}
		}
		SeriesBuf o = null;
		RangeWindow w = new RangeWindow(s, in);
		for (int i = 0; i < n; i++) {
			long ts = stepTime(i);
			w.moveTo(ts);
			int from = w.from;
			int to = w.to;
			long ref = w.ref;
			long lo = w.lo;
			if (to - from < 2) {
				continue;
			}
			boolean scanResets = isCounter && resets[to - 1] != resets[from];
			double v = Functions.extrapolatedValue(s.t, s.v, from, to, lo, ref, in.range, isCounter, isRate,
					scanResets);
			if (o == null) {
				o = out.get(s.metric);
				if (o == null) {
					o = new SeriesBuf(s.metric, true, n);
					out.put(s.metric, o);
				}
			}
			if (o.lastT() == ts) {
				throw PromQLException.execution("vector cannot contain metrics with the same labelset");
			}
			o.add(ts, v);
		}
	}

	StepContext newContext() {
		StepContext ctx = new StepContext(query.annotations, query.text);
		ctx.queryStart = query.start;
		ctx.queryEnd = query.end;
		ctx.queryStep = query.step;
		return ctx;
	}

	// Prometheus adds this info once per input series of rate()/increase() over a plain range selector
	private void checkCounterName(Labels metric, Expr.Call c) {
		String name = metric.metricName();
		Expr arg = c.args().get(0);
		if (!name.isEmpty() && !name.endsWith("_total") && !name.endsWith("_sum") && !name.endsWith("_count")
				&& !name.endsWith("_bucket") && arg instanceof Expr.MatrixSelector) {
			query.annotations.info("metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \""
					+ name + "\"", arg);
		}
	}

	@SuppressWarnings("unchecked")
	static List<SeriesBuf> asMatrix(Object o) {
		return (List<SeriesBuf>) o;
	}

	/** Values of a scalar-typed matrix per step (NaN where absent). */
	double[] scalarPerStep(List<SeriesBuf> m) {
		int n = steps();
		double[] out = new double[n];
		Arrays.fill(out, Double.NaN);
		if (!m.isEmpty()) {
			SeriesBuf s = m.get(0);
			for (int k = 0; k < s.n; k++) {
				out[(int) ((s.t[k] - start) / interval)] = s.v[k];
			}
		}
		return out;
	}

	/** Step function for {@link #rangeEval}: reads per-step arguments, emits into the context. */
	interface StepFunction {

		void apply(List<Object> args);

	}

	/**
	 * Calls {@code fn} once per step with the arguments' values at that step (instant vectors as lists of
	 * {@link VSample}, scalars as Double, strings as String) and assembles the outputs into series.
	 */
	List<SeriesBuf> rangeEval(List<Object> argVals, List<ValueType> types, StepFunction fn, StepContext ctx,
			boolean scalarResult) {
		int n = steps();
		int nargs = argVals.size();
		double[][] scalars = new double[nargs][];
		List<SeriesBuf>[] vectors = new List[nargs];
		int[][] cursors = new int[nargs][];
		for (int k = 0; k < nargs; k++) {
			if (types.get(k) == ValueType.SCALAR) {
				scalars[k] = scalarPerStep(asMatrix(argVals.get(k)));
			}
			else if (types.get(k) == ValueType.VECTOR) {
				vectors[k] = asMatrix(argVals.get(k));
				cursors[k] = new int[vectors[k].size()];
			}
		}
		LinkedHashMap<Labels, SeriesBuf> out = new LinkedHashMap<>();
		List<Object> args = new ArrayList<>(nargs);
		for (int k = 0; k < nargs; k++) {
			args.add(null);
		}
		for (int i = 0; i < n; i++) {
			if ((i & 63) == 0) {
				query.limits.checkTime();
			}
			long ts = stepTime(i);
			for (int k = 0; k < nargs; k++) {
				if (scalars[k] != null) {
					args.set(k, scalars[k][i]);
				}
				else if (vectors[k] != null) {
					List<SeriesBuf> m = vectors[k];
					List<VSample> vec = new ArrayList<>(m.size());
					int[] cur = cursors[k];
					for (int si = 0; si < m.size(); si++) {
						SeriesBuf s = m.get(si);
						int c = cur[si];
						if (c < s.n && s.t[c] == ts) {
							vec.add(new VSample(s.metric, s.v[c], s.dropName));
							cur[si] = c + 1;
						}
					}
					args.set(k, vec);
				}
				else {
					Object o = argVals.get(k);
					args.set(k, o instanceof Str s ? s.value() : o);
				}
			}
			ctx.ts = ts;
			ctx.out.clear();
			fn.apply(args);
			if (scalarResult) {
				SeriesBuf o = out.computeIfAbsent(Labels.EMPTY, l -> new SeriesBuf(l, false, n));
				o.add(ts, ctx.out.isEmpty() ? Double.NaN : ctx.out.get(0).v());
				continue;
			}
			for (VSample r : ctx.out) {
				SeriesBuf o = out.get(r.metric());
				if (o == null) {
					o = new SeriesBuf(r.metric(), r.dropName(), n);
					out.put(r.metric(), o);
				}
				else if (o.lastT() == ts) {
					throw PromQLException.execution("vector cannot contain metrics with the same labelset");
				}
				else if (r.dropName()) {
					o.dropName = true;
				}
				o.add(ts, r.v());
			}
		}
		return new ArrayList<>(out.values());
	}

	/** Final clean-up: removes metric names marked for dropping and rejects resulting duplicates. */
	static List<SeriesBuf> dropNames(List<SeriesBuf> m, boolean instant) {
		Map<Labels, SeriesBuf> seen = new LinkedHashMap<>();
		for (SeriesBuf s : m) {
			Labels l = s.dropName ? s.metric.withoutMetricName() : s.metric;
			SeriesBuf prev = seen.get(l);
			if (prev == null) {
				s.metric = l;
				s.dropName = false;
				seen.put(l, s);
				continue;
			}
			if (instant) {
				throw PromQLException.execution("vector cannot contain metrics with the same labelset");
			}
			seen.put(l, merge(prev, s, l));
		}
		return new ArrayList<>(seen.values());
	}

	// series that only collide after name removal are merged when they never overlap in time
	private static SeriesBuf merge(SeriesBuf a, SeriesBuf b, Labels l) {
		SeriesBuf r = new SeriesBuf(l, false, a.n + b.n);
		int i = 0;
		int j = 0;
		while (i < a.n || j < b.n) {
			if (j >= b.n || (i < a.n && a.t[i] < b.t[j])) {
				r.add(a.t[i], a.v[i]);
				i++;
			}
			else if (i >= a.n || b.t[j] < a.t[i]) {
				r.add(b.t[j], b.v[j]);
				j++;
			}
			else {
				throw PromQLException.execution("vector cannot contain metrics with the same labelset");
			}
		}
		return r;
	}

}
