package dev.vigil.telemetry.promql;

import static dev.vigil.telemetry.promql.ValueType.MATRIX;
import static dev.vigil.telemetry.promql.ValueType.SCALAR;
import static dev.vigil.telemetry.promql.ValueType.STRING;
import static dev.vigil.telemetry.promql.ValueType.VECTOR;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.vigil.telemetry.tsdb.Labels;
import dev.vigil.telemetry.tsdb.Matcher;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;

/**
 * The function table: name to signature and implementation (Prometheus promql/functions.go). Range-vector functions
 * receive one series' {@link Window} per call; instant-vector functions receive the whole vector of a step.
 */
final class Functions {

	private static final Map<String, Function> TABLE = new HashMap<>();

	private Functions() {
	}

	static Function get(String name) {
		return TABLE.get(name);
	}

	private static void register(String name, List<ValueType> args, int variadic, ValueType ret, boolean dropsName,
			Function.Impl impl) {
		TABLE.put(name, new Function(name, args, variadic, ret, dropsName, impl));
	}

	@SuppressWarnings("unchecked")
	static List<VSample> vec(Object o) {
		return (List<VSample>) o;
	}

	private static void math(String name, DoubleUnaryOperator f) {
		register(name, List.of(VECTOR), 0, VECTOR, true, (args, call, ctx) -> {
			for (VSample s : vec(args.get(0))) {
				ctx.emit(s.metric(), f.applyAsDouble(s.v()), true);
			}
		});
	}

	private static void overTime(String name, boolean dropsName, ToDoubleFunction<Window> f) {
		register(name, List.of(MATRIX), 0, VECTOR, dropsName, (args, call, ctx) -> {
			Window w = (Window) args.get(0);
			ctx.emit(w.metric(), f.applyAsDouble(w), dropsName || w.dropName());
		});
	}

	private static void date(String name, java.util.function.ToIntFunction<ZonedDateTime> f) {
		register(name, List.of(VECTOR), 1, VECTOR, true, (args, call, ctx) -> {
			if (args.isEmpty()) {
				ctx.emit(Labels.EMPTY, f.applyAsInt(utc(Math.floorDiv(ctx.ts, 1000))), false);
				return;
			}
			for (VSample s : vec(args.get(0))) {
				ctx.emit(s.metric(), f.applyAsInt(utc((long) s.v())), true);
			}
		});
	}

	// Go's math.Min/Max: NaN wins
	private static double goMin(double a, double b) {
		return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.min(a, b);
	}

	private static double goMax(double a, double b) {
		return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
	}

	private static ZonedDateTime utc(long secs) {
		return Instant.ofEpochSecond(secs).atZone(ZoneOffset.UTC);
	}

	static {
		math("abs", Math::abs);
		math("ceil", Math::ceil);
		math("floor", Math::floor);
		math("exp", Math::exp);
		math("sqrt", Math::sqrt);
		math("ln", Math::log);
		math("log2", v -> Math.log(v) / Math.log(2));
		math("log10", Math::log10);
		math("sgn", Math::signum);
		math("acos", Math::acos);
		math("asin", Math::asin);
		math("atan", Math::atan);
		math("cos", Math::cos);
		math("sin", Math::sin);
		math("tan", Math::tan);
		math("cosh", Math::cosh);
		math("sinh", Math::sinh);
		math("tanh", Math::tanh);
		math("acosh", v -> Math.log(v + Math.sqrt(v * v - 1)));
		math("asinh", v -> Double.isInfinite(v) ? v : Math.log(v + Math.sqrt(v * v + 1)));
		math("atanh", v -> 0.5 * Math.log((1 + v) / (1 - v)));
		math("deg", v -> v * 180 / Math.PI);
		math("rad", v -> v * Math.PI / 180);
		register("pi", List.of(), 0, SCALAR, false, (args, call, ctx) -> ctx.emit(Labels.EMPTY, Math.PI, false));
		register("time", List.of(), 0, SCALAR, false,
				(args, call, ctx) -> ctx.emit(Labels.EMPTY, ctx.ts / 1000.0, false));
		register("start", List.of(), 0, SCALAR, false,
				(args, call, ctx) -> ctx.emit(Labels.EMPTY, ctx.queryStart / 1000.0, false));
		register("end", List.of(), 0, SCALAR, false,
				(args, call, ctx) -> ctx.emit(Labels.EMPTY, ctx.queryEnd / 1000.0, false));
		register("range", List.of(), 0, SCALAR, false,
				(args, call, ctx) -> ctx.emit(Labels.EMPTY, (ctx.queryEnd - ctx.queryStart) / 1000.0, false));
		register("step", List.of(), 0, SCALAR, false,
				(args, call, ctx) -> ctx.emit(Labels.EMPTY, ctx.queryStep / 1000.0, false));
		register("min_of", List.of(SCALAR, SCALAR), 0, SCALAR, false, (args, call, ctx) -> ctx.emit(Labels.EMPTY,
				goMin((Double) args.get(0), (Double) args.get(1)), false));
		register("max_of", List.of(SCALAR, SCALAR), 0, SCALAR, false, (args, call, ctx) -> ctx.emit(Labels.EMPTY,
				goMax((Double) args.get(0), (Double) args.get(1)), false));
		register("vector", List.of(SCALAR), 0, VECTOR, false,
				(args, call, ctx) -> ctx.emit(Labels.EMPTY, (Double) args.get(0), false));
		register("scalar", List.of(VECTOR), 0, SCALAR, false, (args, call, ctx) -> {
			List<VSample> v = vec(args.get(0));
			ctx.emit(Labels.EMPTY, v.size() == 1 ? v.get(0).v() : Double.NaN, false);
		});
		register("timestamp", List.of(VECTOR), 0, VECTOR, true, (args, call, ctx) -> {
			for (VSample s : vec(args.get(0))) {
				ctx.emit(s.metric(), ctx.ts / 1000.0, true);
			}
		});
		register("round", List.of(VECTOR, SCALAR), 1, VECTOR, true, (args, call, ctx) -> {
			double toNearest = args.size() > 1 ? (Double) args.get(1) : 1;
			double inv = 1.0 / toNearest;
			for (VSample s : vec(args.get(0))) {
				ctx.emit(s.metric(), Math.floor(s.v() * inv + 0.5) / inv, true);
			}
		});
		register("clamp", List.of(VECTOR, SCALAR, SCALAR), 0, VECTOR, true, (args, call, ctx) -> {
			double min = (Double) args.get(1);
			double max = (Double) args.get(2);
			if (max < min) {
				return;
			}
			for (VSample s : vec(args.get(0))) {
				ctx.emit(s.metric(), Math.max(min, Math.min(max, s.v())), true);
			}
		});
		register("clamp_min", List.of(VECTOR, SCALAR), 0, VECTOR, true, (args, call, ctx) -> {
			double min = (Double) args.get(1);
			for (VSample s : vec(args.get(0))) {
				ctx.emit(s.metric(), Double.isNaN(min) ? Double.NaN : Math.max(min, s.v()), true);
			}
		});
		register("clamp_max", List.of(VECTOR, SCALAR), 0, VECTOR, true, (args, call, ctx) -> {
			double max = (Double) args.get(1);
			for (VSample s : vec(args.get(0))) {
				ctx.emit(s.metric(), Double.isNaN(max) ? Double.NaN : Math.min(max, s.v()), true);
			}
		});
		date("day_of_month", ZonedDateTime::getDayOfMonth);
		date("day_of_week", t -> t.getDayOfWeek().getValue() % 7);
		date("day_of_year", ZonedDateTime::getDayOfYear);
		date("days_in_month", t -> t.toLocalDate().lengthOfMonth());
		date("hour", ZonedDateTime::getHour);
		date("minute", ZonedDateTime::getMinute);
		date("month", ZonedDateTime::getMonthValue);
		date("year", ZonedDateTime::getYear);
		registerSorts();
		registerLabelFunctions();
		register("absent", List.of(VECTOR), 0, VECTOR, false, (args, call, ctx) -> {
			if (vec(args.get(0)).isEmpty()) {
				ctx.emit(absentLabels(call.args().get(0)), 1, false);
			}
		});
		register("absent_over_time", List.of(MATRIX), 0, VECTOR, false, (args, call, ctx) -> {
			// evaluated specially by the evaluator, which knows about all series at once
		});
		register("histogram_quantile", List.of(SCALAR, VECTOR), 0, VECTOR, true, HistogramQuantile::call);
		registerRangeFunctions();
	}

	private static void registerSorts() {
		register("sort", List.of(VECTOR), 0, VECTOR, false, (args, call, ctx) -> {
			List<VSample> v = new ArrayList<>(vec(args.get(0)));
			v.sort((a, b) -> compareValues(a.v(), b.v(), false));
			ctx.out.addAll(v);
		});
		register("sort_desc", List.of(VECTOR), 0, VECTOR, false, (args, call, ctx) -> {
			List<VSample> v = new ArrayList<>(vec(args.get(0)));
			v.sort((a, b) -> compareValues(a.v(), b.v(), true));
			ctx.out.addAll(v);
		});
		register("sort_by_label", List.of(VECTOR, STRING), -1, VECTOR, false, (args, call, ctx) -> {
			ctx.out.addAll(sortByLabel(args, false));
		});
		register("sort_by_label_desc", List.of(VECTOR, STRING), -1, VECTOR, false, (args, call, ctx) -> {
			ctx.out.addAll(sortByLabel(args, true));
		});
	}

	// NaN sorts last in both directions
	private static int compareValues(double a, double b, boolean desc) {
		if (Double.isNaN(a)) {
			return Double.isNaN(b) ? 0 : 1;
		}
		if (Double.isNaN(b)) {
			return -1;
		}
		return desc ? Double.compare(b, a) : Double.compare(a, b);
	}

	private static List<VSample> sortByLabel(List<Object> args, boolean desc) {
		List<VSample> v = new ArrayList<>(vec(args.get(0)));
		List<String> names = new ArrayList<>();
		for (int k = 1; k < args.size(); k++) {
			names.add((String) args.get(k));
		}
		v.sort((a, b) -> {
			for (String n : names) {
				int c = NaturalOrder.compare(a.metric().get(n), b.metric().get(n));
				if (c != 0) {
					return desc ? -c : c;
				}
			}
			int c = a.metric().compareTo(b.metric());
			return desc ? -c : c;
		});
		return v;
	}

	private static void registerLabelFunctions() {
		register("label_replace", List.of(VECTOR, STRING, STRING, STRING, STRING), 0, VECTOR, false,
				(args, call, ctx) -> {
					String dst = (String) args.get(1);
					String repl = (String) args.get(2);
					String src = (String) args.get(3);
					String regex = (String) args.get(4);
					Pattern p;
					try {
						p = Pattern.compile("^(?s:" + regex + ")$");
					}
					catch (PatternSyntaxException e) {
						throw PromQLException.execution("invalid regular expression in label_replace(): " + regex);
					}
					if (!AggregationEvaluation.validLabelName(dst)) {
						throw PromQLException.execution("invalid destination label name in label_replace(): " + dst);
					}
					for (VSample s : vec(args.get(0))) {
						String srcVal = s.metric().get(src);
						com.google.re2j.Matcher m = p.matcher(srcVal);
						if (!m.matches()) {
							ctx.out.add(s);
							continue;
						}
						String res = expand(repl, m, p);
						Labels l = s.metric().toBuilder().set(dst, res).build();
						ctx.emit(l, s.v(), dst.equals(Labels.METRIC_NAME) ? false : s.dropName());
					}
				});
		register("label_join", List.of(VECTOR, STRING, STRING, STRING), -1, VECTOR, false, (args, call, ctx) -> {
			String dst = (String) args.get(1);
			String sep = (String) args.get(2);
			if (!AggregationEvaluation.validLabelName(dst)) {
				throw PromQLException.execution("invalid destination label name in label_join(): " + dst);
			}
			List<String> srcs = new ArrayList<>();
			for (int k = 3; k < args.size(); k++) {
				String src = (String) args.get(k);
				if (!AggregationEvaluation.validLabelName(src)) {
					throw PromQLException.execution("invalid source label name in label_join(): " + src);
				}
				srcs.add(src);
			}
			for (VSample s : vec(args.get(0))) {
				StringBuilder sb = new StringBuilder();
				for (int k = 0; k < srcs.size(); k++) {
					if (k > 0) {
						sb.append(sep);
					}
					sb.append(s.metric().get(srcs.get(k)));
				}
				Labels l = s.metric().toBuilder().set(dst, sb.toString()).build();
				ctx.emit(l, s.v(), dst.equals(Labels.METRIC_NAME) ? false : s.dropName());
			}
		});
	}

	/** Go regexp.Expand semantics: $1, ${1}, $name, ${name}; $$ is a literal dollar. */
	static String expand(String template, com.google.re2j.Matcher m, Pattern p) {
		StringBuilder sb = new StringBuilder();
		int i = 0;
		while (i < template.length()) {
			char c = template.charAt(i);
			if (c != '$' || i + 1 >= template.length()) {
				sb.append(c);
				i++;
				continue;
			}
			char n = template.charAt(i + 1);
			if (n == '$') {
				sb.append('$');
				i += 2;
				continue;
			}
			String name;
			int next;
			if (n == '{') {
				int close = template.indexOf('}', i + 2);
				if (close < 0) {
					sb.append(c);
					i++;
					continue;
				}
				name = template.substring(i + 2, close);
				next = close + 1;
			}
			else {
				int j = i + 1;
				while (j < template.length() && Lexer.isAlnum(template.charAt(j))) {
					j++;
				}
				name = template.substring(i + 1, j);
				next = j;
			}
			if (name.isEmpty()) {
				sb.append(c);
				i++;
				continue;
			}
			String val = "";
			if (name.chars().allMatch(Character::isDigit)) {
				int g = Integer.parseInt(name);
				if (g <= m.groupCount()) {
					String gv = m.group(g);
					val = gv == null ? "" : gv;
				}
			}
			else {
				try {
					String gv = m.group(name);
					val = gv == null ? "" : gv;
				}
				catch (IllegalArgumentException e) {
					val = "";
				}
			}
			sb.append(val);
			i = next;
		}
		return sb.toString();
	}

	/** Labels for absent(): equality matchers of the selector, except ones repeated for the same label. */
	static Labels absentLabels(Expr e) {
		List<Matcher> ms;
		if (e instanceof Expr.VectorSelector vs) {
			ms = vs.matchers();
		}
		else if (e instanceof Expr.MatrixSelector m) {
			ms = m.selector().matchers();
		}
		else {
			return Labels.EMPTY;
		}
		Labels.Builder b = Labels.builder();
		Set<String> has = new HashSet<>();
		for (Matcher m : ms) {
			if (m.name().equals(Labels.METRIC_NAME)) {
				continue;
			}
			if (m.type() == Matcher.Type.EQUAL && !has.contains(m.name())) {
				b.set(m.name(), m.value());
				has.add(m.name());
			}
			else {
				b.delete(m.name());
			}
		}
		return b.build();
	}

	// ---- range-vector functions

	private static void registerRangeFunctions() {
		register("rate", List.of(MATRIX), 0, VECTOR, true, (args, call, ctx) -> extrapolated(args, call, ctx, true, true));
		register("increase", List.of(MATRIX), 0, VECTOR, true,
				(args, call, ctx) -> extrapolated(args, call, ctx, true, false));
		register("delta", List.of(MATRIX), 0, VECTOR, true,
				(args, call, ctx) -> extrapolated(args, call, ctx, false, false));
		register("irate", List.of(MATRIX), 0, VECTOR, true, (args, call, ctx) -> instant(args, ctx, true));
		register("idelta", List.of(MATRIX), 0, VECTOR, true, (args, call, ctx) -> instant(args, ctx, false));
		register("deriv", List.of(MATRIX), 0, VECTOR, true, (args, call, ctx) -> {
			Window w = (Window) args.get(0);
			if (w.size() < 2) {
				return;
			}
			ctx.emit(w.metric(), linearRegression(w, w.firstT())[0], true);
		});
		register("predict_linear", List.of(MATRIX, SCALAR), 0, VECTOR, true, (args, call, ctx) -> {
			Window w = (Window) args.get(0);
			if (w.size() < 2) {
				return;
			}
			double duration = (Double) args.get(1);
			double[] r = linearRegression(w, ctx.ts);
			ctx.emit(w.metric(), r[0] * duration + r[1], true);
		});
		overTime("resets", true, w -> {
			int n = 0;
			for (int k = w.from() + 1; k < w.to(); k++) {
				if (w.v()[k] < w.v()[k - 1]) {
					n++;
				}
			}
			return n;
		});
		overTime("changes", true, w -> {
			int n = 0;
			for (int k = w.from() + 1; k < w.to(); k++) {
				double cur = w.v()[k];
				double prev = w.v()[k - 1];
				if (cur != prev && !(Double.isNaN(cur) && Double.isNaN(prev))) {
					n++;
				}
			}
			return n;
		});
		overTime("avg_over_time", true, Functions::avgOverTime);
		overTime("sum_over_time", true, w -> {
			double sum = 0;
			double c = 0;
			for (int k = w.from(); k < w.to(); k++) {
				double[] r = kahanInc(w.v()[k], sum, c);
				sum = r[0];
				c = r[1];
			}
			return Double.isInfinite(sum) ? sum : sum + c;
		});
		overTime("count_over_time", true, Window::size);
		overTime("min_over_time", true, w -> {
			double r = w.firstV();
			for (int k = w.from(); k < w.to(); k++) {
				double v = w.v()[k];
				if (v < r || Double.isNaN(r)) {
					r = v;
				}
			}
			return r;
		});
		overTime("max_over_time", true, w -> {
			double r = w.firstV();
			for (int k = w.from(); k < w.to(); k++) {
				double v = w.v()[k];
				if (v > r || Double.isNaN(r)) {
					r = v;
				}
			}
			return r;
		});
		overTime("last_over_time", false, Window::lastV);
		overTime("first_over_time", false, Window::firstV);
		overTime("present_over_time", true, w -> 1);
		overTime("stddev_over_time", true, w -> Math.sqrt(stdvar(w)));
		overTime("stdvar_over_time", true, Functions::stdvar);
		overTime("mad_over_time", true, w -> {
			double[] vals = Arrays.copyOfRange(w.v(), w.from(), w.to());
			for (double v : vals) {
				if (Double.isNaN(v)) {
					return Double.NaN;
				}
			}
			double median = quantile(0.5, vals.clone());
			for (int k = 0; k < vals.length; k++) {
				vals[k] = Math.abs(vals[k] - median);
			}
			return quantile(0.5, vals);
		});
		overTime("ts_of_last_over_time", true, w -> w.lastT() / 1000.0);
		overTime("ts_of_first_over_time", true, w -> w.firstT() / 1000.0);
		overTime("ts_of_max_over_time", true, w -> {
			double r = w.firstV();
			long t = w.firstT();
			for (int k = w.from(); k < w.to(); k++) {
				if (w.v()[k] >= r || Double.isNaN(r)) {
					r = w.v()[k];
					t = w.t()[k];
				}
			}
			return t / 1000.0;
		});
		overTime("ts_of_min_over_time", true, w -> {
			double r = w.firstV();
			long t = w.firstT();
			for (int k = w.from(); k < w.to(); k++) {
				if (w.v()[k] <= r || Double.isNaN(r)) {
					r = w.v()[k];
					t = w.t()[k];
				}
			}
			return t / 1000.0;
		});
		register("quantile_over_time", List.of(SCALAR, MATRIX), 0, VECTOR, true, (args, call, ctx) -> {
			double q = (Double) args.get(0);
			Window w = (Window) args.get(1);
			if (Double.isNaN(q) || q < 0 || q > 1) {
				ctx.annotations.warn("quantile value should be between 0 and 1, got " + Num.format(q),
						call.args().get(0));
			}
			ctx.emit(w.metric(), quantile(q, Arrays.copyOfRange(w.v(), w.from(), w.to())), true);
		});
		register("double_exponential_smoothing", List.of(MATRIX, SCALAR, SCALAR), 0, VECTOR, true,
				Functions::doubleExponentialSmoothing);
	}

	private static double stdvar(Window w) {
		double count = 0;
		double mean = 0;
		double cMean = 0;
		double aux = 0;
		double cAux = 0;
		for (int k = w.from(); k < w.to(); k++) {
			double v = w.v()[k];
			count++;
			double delta = v - (mean + cMean);
			double[] r = kahanInc(delta / count, mean, cMean);
			mean = r[0];
			cMean = r[1];
			r = kahanInc(delta * (v - (mean + cMean)), aux, cAux);
			aux = r[0];
			cAux = r[1];
		}
		return (aux + cAux) / count;
	}

	private static double avgOverTime(Window w) {
		double sum = 0;
		double c = 0;
		double mean = 0;
		double kc = 0;
		boolean incremental = false;
		int count = 0;
		for (int k = w.from(); k < w.to(); k++) {
			double v = w.v()[k];
			count++;
			if (!incremental) {
				double[] r = kahanInc(v, sum, c);
				if (!Double.isInfinite(r[0]) || Double.isInfinite(v)) {
					sum = r[0];
					c = r[1];
					continue;
				}
				incremental = true;
				mean = sum / (count - 1);
				kc = c / (count - 1);
			}
			if (Double.isInfinite(mean)) {
				if (Double.isInfinite(v) && (mean > 0) == (v > 0)) {
					continue;
				}
				if (!Double.isInfinite(v) && !Double.isNaN(v)) {
					continue;
				}
			}
			double q = (count - 1) / (double) count;
			double[] r = kahanInc(v / count, q * mean, q * kc);
			mean = r[0];
			kc = r[1];
		}
		if (incremental) {
			return mean + kc;
		}
		return (sum + c) / count;
	}

	private static void doubleExponentialSmoothing(List<Object> args, Expr.Call call, StepContext ctx) {
		Window w = (Window) args.get(0);
		double sf = (Double) args.get(1);
		double tf = (Double) args.get(2);
		if (sf <= 0 || sf >= 1) {
			throw PromQLException.execution("invalid smoothing factor. Expected: 0 < sf < 1, got: " + Num.format(sf));
		}
		if (tf <= 0 || tf >= 1) {
			throw PromQLException.execution("invalid trend factor. Expected: 0 < tf < 1, got: " + Num.format(tf));
		}
		int l = w.size();
		if (l < 2) {
			return;
		}
		double s0 = 0;
		double s1 = w.v()[w.from()];
		double b = w.v()[w.from() + 1] - w.v()[w.from()];
		for (int i = 1; i < l; i++) {
			double x = sf * w.v()[w.from() + i];
			if (i > 1) {
				b = tf * (s1 - s0) + (1 - tf) * b;
			}
			double y = (1 - sf) * (s1 + b);
			s0 = s1;
			s1 = x + y;
		}
		ctx.emit(w.metric(), s1, true);
	}

	private static void instant(List<Object> args, StepContext ctx, boolean isRate) {
		Window w = (Window) args.get(0);
		if (w.size() < 2) {
			return;
		}
		double last = w.lastV();
		double prev = w.v()[w.to() - 2];
		double result = isRate && last < prev ? last : last - prev;
		long interval = w.lastT() - w.t()[w.to() - 2];
		if (interval == 0) {
			return;
		}
		if (isRate) {
			result /= interval / 1000.0;
		}
		ctx.emit(w.metric(), result, true);
	}

	/** rate/increase/delta with Prometheus's extrapolation to the window boundaries. */
	private static void extrapolated(List<Object> args, Expr.Call call, StepContext ctx, boolean isCounter,
			boolean isRate) {
		Window w = (Window) args.get(0);
		if (w.size() < 2) {
			return;
		}
		ctx.emit(w.metric(), extrapolatedValue(w.t(), w.v(), w.from(), w.to(), w.rangeStart(), w.rangeEnd(),
				w.rangeMillis(), isCounter, isRate), true);
	}

	/**
	 * The value of rate/increase/delta over the points [from, to) (at least two) of a window [rangeStart, rangeEnd]
	 * of length rangeMillis. Works on the series' arrays directly so range evaluation can call it once per step
	 * without building a {@link Window}.
	 */
	static double extrapolatedValue(long[] t, double[] v, int from, int to, long rangeStart, long rangeEnd,
			long rangeMillis, boolean isCounter, boolean isRate) {
		return extrapolatedValue(t, v, from, to, rangeStart, rangeEnd, rangeMillis, isCounter, isRate, isCounter);
	}

	/** As above; {@code scanResets} false tells that the window has no counter reset, so it is not scanned for one. */
	static double extrapolatedValue(long[] t, double[] v, int from, int to, long rangeStart, long rangeEnd,
			long rangeMillis, boolean isCounter, boolean isRate, boolean scanResets) {
		double first = v[from];
		double result = v[to - 1] - first;
		if (isCounter && scanResets) {
			for (int k = from + 1; k < to; k++) {
				if (v[k] < v[k - 1]) {
					result += v[k - 1];
				}
			}
		}
		long firstT = t[from];
		long lastT = t[to - 1];
		double durationToStart = (firstT - rangeStart) / 1000.0;
		double durationToEnd = (rangeEnd - lastT) / 1000.0;
		double sampledInterval = (lastT - firstT) / 1000.0;
		double avgBetween = sampledInterval / (to - from - 1);
		double threshold = avgBetween * 1.1;
		if (durationToStart >= threshold) {
			durationToStart = avgBetween / 2;
		}
		if (isCounter) {
			double durationToZero = durationToStart;
			if (result > 0 && first >= 0) {
				durationToZero = sampledInterval * (first / result);
			}
			if (durationToZero < durationToStart) {
				durationToStart = durationToZero;
			}
		}
		if (durationToEnd >= threshold) {
			durationToEnd = avgBetween / 2;
		}
		double factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
		if (isRate) {
			factor /= rangeMillis / 1000.0;
		}
		return result * factor;
	}

	/** Least-squares fit with Kahan sums; returns {slope, intercept} with x in seconds relative to interceptTime. */
	static double[] linearRegression(Window w, long interceptTime) {
		double n = 0;
		double sumX = 0;
		double cX = 0;
		double sumY = 0;
		double cY = 0;
		double sumXY = 0;
		double cXY = 0;
		double sumX2 = 0;
		double cX2 = 0;
		double initY = w.firstV();
		boolean constY = true;
		for (int k = w.from(); k < w.to(); k++) {
			double y = w.v()[k];
			if (constY && k > w.from() && y != initY) {
				constY = false;
			}
			n++;
			double x = (w.t()[k] - interceptTime) / 1e3;
			double[] r = kahanInc(x, sumX, cX);
			sumX = r[0];
			cX = r[1];
			r = kahanInc(y, sumY, cY);
			sumY = r[0];
			cY = r[1];
			r = kahanInc(x * y, sumXY, cXY);
			sumXY = r[0];
			cXY = r[1];
			r = kahanInc(x * x, sumX2, cX2);
			sumX2 = r[0];
			cX2 = r[1];
		}
		if (constY) {
			if (Double.isInfinite(initY)) {
				return new double[] { Double.NaN, Double.NaN };
			}
			return new double[] { 0, initY };
		}
		sumX += cX;
		sumY += cY;
		sumXY += cXY;
		sumX2 += cX2;
		double covXY = sumXY - sumX * sumY / n;
		double varX = sumX2 - sumX * sumX / n;
		double slope = covXY / varX;
		double intercept = sumY / n - slope * sumX / n;
		return new double[] { slope, intercept };
	}

	/** Neumaier-improved Kahan summation step: returns {sum, compensation}. */
	static double[] kahanInc(double inc, double sum, double c) {
		double t = sum + inc;
		if (Double.isInfinite(t)) {
			c = 0;
		}
		else if (Math.abs(sum) >= Math.abs(inc)) {
			c += (sum - t) + inc;
		}
		else {
			c += (inc - t) + sum;
		}
		return new double[] { t, c };
	}

	// Go's sort of Prometheus's vectorByValueHeap orders NaN before all numbers
	private static void sortNaNFirst(double[] values) {
		Arrays.sort(values);
		int nan = 0;
		for (int k = values.length - 1; k >= 0 && Double.isNaN(values[k]); k--) {
			nan++;
		}
		if (nan > 0) {
			System.arraycopy(values, 0, values, nan, values.length - nan);
			Arrays.fill(values, 0, nan, Double.NaN);
		}
	}

	/** Prometheus quantile over values (sorts the array in place). */
	static double quantile(double q, double[] values) {
		if (values.length == 0 || Double.isNaN(q)) {
			return Double.NaN;
		}
		if (q < 0) {
			return Double.NEGATIVE_INFINITY;
		}
		if (q > 1) {
			return Double.POSITIVE_INFINITY;
		}
		sortNaNFirst(values);
		double n = values.length;
		double rank = q * (n - 1);
		double lower = Math.max(0, Math.floor(rank));
		double upper = Math.min(n - 1, lower + 1);
		double weight = rank - Math.floor(rank);
		return values[(int) lower] * (1 - weight) + values[(int) upper] * weight;
	}

}
