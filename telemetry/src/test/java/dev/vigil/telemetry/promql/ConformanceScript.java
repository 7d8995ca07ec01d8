package dev.vigil.telemetry.promql;

import dev.vigil.telemetry.tsdb.DurationParser;
import dev.vigil.telemetry.tsdb.Labels;
import dev.vigil.telemetry.tsdb.Matcher;
import dev.vigil.telemetry.tsdb.Queryable;
import dev.vigil.telemetry.tsdb.SeriesData;
import dev.vigil.telemetry.tsdb.StaleNaN;
import dev.vigil.telemetry.tsdb.Storage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Runs one Prometheus promqltest script ({@code load}, {@code clear}, {@code eval instant|range} with {@code expect}
 * lines) against the engine and records an outcome per eval case. Native-histogram and experimental cases are
 * skipped with a reason rather than failed.
 */
final class ConformanceScript {

	enum Status { PASSED, FAILED, SKIPPED }

	/** Outcome of one eval case; id is {@code file:line}. */
	record Outcome(String id, String query, Status status, String detail) {
	}

	static final String SKIP_NATIVE = "native histograms";

	static final String SKIP_NATIVE_DATA = "native histogram samples in range";

	static final String SKIP_NATIVE_FUNCTION = "native histogram functions";

	static final String SKIP_EXPERIMENTAL = "experimental features";

	private static final Pattern NATIVE_FUNCTIONS = Pattern.compile(
			"\\bhistogram_(count|sum|avg|fraction|stddev|stdvar|quantiles)\\s*\\(");

	private static final Pattern EXPERIMENTAL = Pattern.compile(
			"\\binfo\\s*\\(|\\[[^\\]]*[+*/]|offset\\s*\\(|\\b(anchored|smoothed)\\b");

	private final String file;
	private final List<String> lines;
	private final Storage storage = Storage.inMemory();
	private final RecordingQueryable recorder = new RecordingQueryable();
	private final Engine engine = new Engine(recorder, EngineConfig.defaults());
	// series with native-histogram samples (not loaded) and the timestamps of those samples
	private final Map<Labels, List<Long>> histogramSeries = new HashMap<>();
	private final Set<String> nhcbNames = new HashSet<>();
	final List<Outcome> outcomes = new ArrayList<>();

	ConformanceScript(String file, String text) {
		this.file = file;
		this.lines = List.of(text.split("\n", -1));
	}

	/** Remembers which series the engine touched, to detect cases that depend on native histograms. */
	private final class RecordingQueryable implements Queryable {

		boolean touchedHistogram;

		@Override
		public List<SeriesData> select(long mint, long maxt, List<Matcher> matchers) {
			for (Matcher m : matchers) {
				if (m.name().equals(Labels.METRIC_NAME)) {
					for (String n : nhcbNames) {
						if (m.matches(n)) {
							touchedHistogram = true;
						}
					}
				}
			}
			for (Map.Entry<Labels, List<Long>> h : histogramSeries.entrySet()) {
				boolean all = true;
				for (Matcher m : matchers) {
					all &= m.matches(h.getKey().get(m.name()));
				}
				if (all && h.getValue().stream().anyMatch(t -> t >= mint && t <= maxt)) {
					touchedHistogram = true;
				}
			}
			return storage.select(mint, maxt, matchers);
		}

	}

	void run() {
		int i = 0;
		while (i < lines.size()) {
			String line = lines.get(i).strip();
			if (line.isEmpty() || line.startsWith("#")) {
				i++;
				continue;
			}
			int startLine = i;
			List<String> block = new ArrayList<>();
			i++;
			while (i < lines.size() && !lines.get(i).strip().isEmpty() && !isCommand(lines.get(i))) {
				String l = lines.get(i).strip();
				if (!l.startsWith("#")) {
					block.add(l);
				}
				i++;
			}
			if (line.equals("clear")) {
				storage.clear();
				histogramSeries.clear();
				nhcbNames.clear();
			}
			else if (line.startsWith("load")) {
				load(line, block);
			}
			else if (line.startsWith("eval")) {
				outcomes.add(eval(startLine + 1, line, block));
			}
			else {
				throw new IllegalStateException(file + ":" + (startLine + 1) + ": unknown command " + line);
			}
		}
	}

	private static boolean isCommand(String l) {
		return l.startsWith("load") || l.startsWith("clear") || l.startsWith("eval");
	}

	// ---- load

	private void load(String header, List<String> block) {
		String[] parts = header.split("\\s+");
		long interval = DurationParser.parseMillis(parts[1]);
		boolean nhcb = parts[0].equals("load_with_nhcb");
		// promqltest loads a block in one batch: a repeated series line overwrites earlier values
		Map<Labels, TreeMap<Long, Double>> samples = new java.util.LinkedHashMap<>();
		for (String l : block) {
			SeriesLine s = parseSeriesLine(l);
			if (nhcb && s.labels.metricName().endsWith("_bucket")) {
				String n = s.labels.metricName();
				nhcbNames.add(n.substring(0, n.length() - "_bucket".length()));
			}
			TreeMap<Long, Double> m = samples.computeIfAbsent(s.labels, k -> new TreeMap<>());
			for (int k = 0; k < s.values.size(); k++) {
				Double v = s.values.get(k);
				if (v != null) {
					m.put(k * interval, v);
				}
				else if (s.histogramAt.contains(k)) {
					histogramSeries.computeIfAbsent(s.labels, x -> new ArrayList<>()).add(k * interval);
				}
			}
		}
		samples.forEach((labels, m) -> m.forEach((t, v) -> storage.append(labels, t, v)));
	}

	/** A series line: labels plus values per step (null = missing). */
	record SeriesLine(Labels labels, List<Double> values, Set<Integer> histogramAt) {
	}

	static SeriesLine parseSeriesLine(String l) {
		int split = seriesEnd(l);
		String series = l.substring(0, split).strip();
		String rest = l.substring(split).strip();
		Labels labels = parseLabels(series);
		List<Double> values = new ArrayList<>();
		Set<Integer> hist = new HashSet<>();
		int p = 0;
		while (p < rest.length()) {
			while (p < rest.length() && Character.isWhitespace(rest.charAt(p))) {
				p++;
			}
			if (p >= rest.length()) {
				break;
			}
			if (rest.startsWith("{{", p)) {
				int close = rest.indexOf("}}", p);
				p = close + 2;
				if (p + 2 < rest.length() && (rest.charAt(p) == '+' || rest.charAt(p) == '-')
						&& rest.startsWith("{{", p + 1)) {
					p = rest.indexOf("}}", p + 1) + 2;
				}
				int times = 1;
				if (p < rest.length() && rest.charAt(p) == 'x') {
					int q = p + 1;
					while (q < rest.length() && Character.isDigit(rest.charAt(q))) {
						q++;
					}
					times = Integer.parseInt(rest.substring(p + 1, q)) + 1;
					p = q;
				}
				for (int k = 0; k < times; k++) {
					hist.add(values.size());
					values.add(null);
				}
				continue;
			}
			int q = p;
			while (q < rest.length() && !Character.isWhitespace(rest.charAt(q))) {
				q++;
			}
			expandToken(rest.substring(p, q), values);
			p = q;
		}
		return new SeriesLine(labels, values, hist);
	}

	private static int seriesEnd(String l) {
		int depth = 0;
		boolean inStr = false;
		for (int k = 0; k < l.length(); k++) {
			char c = l.charAt(k);
			if (inStr) {
				if (c == '\\') {
					k++;
				}
				else if (c == '"') {
					inStr = false;
				}
				continue;
			}
			if (c == '"') {
				inStr = true;
			}
			else if (c == '{') {
				depth++;
			}
			else if (c == '}') {
				depth--;
				if (depth == 0) {
					return k + 1;
				}
			}
			else if (Character.isWhitespace(c) && depth == 0) {
				return k;
			}
		}
		return l.length();
	}

	static Labels parseLabels(String series) {
		if (series.isEmpty() || series.equals("{}")) {
			return Labels.EMPTY;
		}
		Expr e = Parser.parse(series.startsWith("{") && !series.contains("=") ? series : series);
		Expr.VectorSelector vs = (Expr.VectorSelector) e;
		Labels.Builder b = Labels.builder();
		for (Matcher m : vs.matchers()) {
			b.set(m.name(), m.value());
		}
		return b.build();
	}

	private static void expandToken(String tok, List<Double> out) {
		if (tok.equals("_")) {
			out.add(null);
			return;
		}
		if (tok.equals("stale")) {
			out.add(StaleNaN.VALUE);
			return;
		}
		int x = tok.lastIndexOf('x');
		if (x > 0 && tok.substring(x + 1).chars().allMatch(Character::isDigit)
				&& x + 1 < tok.length()) {
			int times = Integer.parseInt(tok.substring(x + 1));
			String base = tok.substring(0, x);
			if (base.equals("_")) {
				for (int k = 0; k < times; k++) {
					out.add(null);
				}
				return;
			}
			if (base.equals("stale")) {
				for (int k = 0; k < times; k++) {
					out.add(StaleNaN.VALUE);
				}
				return;
			}
			// a+b or a-b (a may be negative); plain a means a+0
			int opIdx = -1;
			for (int k = 1; k < base.length(); k++) {
				char c = base.charAt(k);
				if ((c == '+' || c == '-') && base.charAt(k - 1) != 'e' && base.charAt(k - 1) != 'E') {
					opIdx = k;
				}
			}
			double start;
			double inc = 0;
			if (opIdx > 0) {
				start = parseNumber(base.substring(0, opIdx));
				inc = parseNumber(base.substring(opIdx + 1));
				if (base.charAt(opIdx) == '-') {
					inc = -inc;
				}
			}
			else {
				start = parseNumber(base);
			}
			double cur = start;
			for (int k = 0; k <= times; k++) {
				out.add(cur);
				cur += inc;
			}
			return;
		}
		out.add(parseNumber(tok));
	}

	static double parseNumber(String s) {
		String l = s.toLowerCase();
		switch (l) {
			case "inf", "+inf":
				return Double.POSITIVE_INFINITY;
			case "-inf":
				return Double.NEGATIVE_INFINITY;
			case "nan", "+nan", "-nan":
				return Double.NaN;
			default:
		}
		if (l.startsWith("0x") || l.startsWith("-0x")) {
			boolean neg = l.startsWith("-");
			double v = Long.parseLong(l.substring(neg ? 3 : 2), 16);
			return neg ? -v : v;
		}
		return Double.parseDouble(s);
	}

	// ---- eval

	private static long parseTime(String s) {
		if (s.chars().allMatch(Character::isDigit)) {
			return Long.parseLong(s) * 1000;
		}
		return DurationParser.parseMillis(s);
	}

	private Outcome eval(int lineNo, String header, List<String> block) {
		String id = file + ":" + lineNo;
		boolean expectFail = false;
		boolean ordered = false;
		String failMsg = null;
		String failRegex = null;
		String expectString = null;
		List<String[]> annotationExpect = new ArrayList<>();
		boolean noWarn = false;
		boolean noInfo = false;
		String cmd = header.substring(0, header.indexOf(' '));
		switch (cmd) {
			case "eval_fail" -> expectFail = true;
			case "eval_ordered" -> ordered = true;
			case "eval_warn" -> annotationExpect.add(new String[] { "warn", null, null });
			case "eval_info" -> annotationExpect.add(new String[] { "info", null, null });
			default -> {
			}
		}
		String rest = header.substring(cmd.length()).strip();
		boolean range = rest.startsWith("range");
		long start;
		long end;
		long step = 0;
		String query;
		String[] w = rest.split("\\s+");
		if (range) {
			// range from <start> to <end> step <step> <query>
			start = parseTime(w[2]);
			end = parseTime(w[4]);
			step = parseTime(w[6]);
			query = rest.split("\\s+", 8)[7];
		}
		else {
			start = parseTime(w[2]);
			end = start;
			query = rest.split("\\s+", 4)[3];
		}
		List<String> expected = new ArrayList<>();
		Long rvStart = null;
		long rvStep = 0;
		for (String l : block) {
			if (l.startsWith("expect ")) {
				String e = l.substring(7).strip();
				if (e.startsWith("fail")) {
					expectFail = true;
					if (e.startsWith("fail msg:")) {
						failMsg = e.substring("fail msg:".length()).strip();
					}
					else if (e.startsWith("fail regex:")) {
						failRegex = e.substring("fail regex:".length()).strip();
					}
				}
				else if (e.equals("ordered")) {
					ordered = true;
				}
				else if (e.equals("no_warn")) {
					noWarn = true;
				}
				else if (e.equals("no_info")) {
					noInfo = true;
				}
				else if (e.startsWith("warn") || e.startsWith("info")) {
					String kind = e.substring(0, 4);
					String r = e.substring(4).strip();
					if (r.startsWith("msg:")) {
						annotationExpect.add(new String[] { kind, "msg", r.substring(4).strip() });
					}
					else if (r.startsWith("regex:")) {
						annotationExpect.add(new String[] { kind, "regex", r.substring(6).strip() });
					}
					else {
						annotationExpect.add(new String[] { kind, null, null });
					}
				}
				else if (e.startsWith("string")) {
					String s = e.substring(6).strip();
					expectString = s.substring(1, s.length() - 1);
				}
				else if (e.startsWith("range vector")) {
					// range vector from <start> to <end> step <step>
					String[] rv = e.split("\\s+");
					rvStart = parseTime(rv[3]);
					rvStep = parseTime(rv[7]);
				}
				else {
					return new Outcome(id, query, Status.FAILED, "unknown expectation " + e);
				}
			}
			else {
				expected.add(l);
			}
		}
		for (String e : expected) {
			if (e.contains("{{")) {
				return new Outcome(id, query, Status.SKIPPED, SKIP_NATIVE + " in expected output");
			}
		}
		if (NATIVE_FUNCTIONS.matcher(query).find()) {
			return new Outcome(id, query, Status.SKIPPED, SKIP_NATIVE_FUNCTION);
		}
		if (EXPERIMENTAL.matcher(query).find()) {
			return new Outcome(id, query, Status.SKIPPED, SKIP_EXPERIMENTAL);
		}
		recorder.touchedHistogram = false;
		QueryResult result;
		try {
			result = range ? engine.rangeQuery(query, start, end, step) : engine.instantQuery(query, start);
		}
		catch (PromQLException e) {
			if (recorder.touchedHistogram) {
				return new Outcome(id, query, Status.SKIPPED, SKIP_NATIVE_DATA);
			}
			if (!expectFail) {
				return new Outcome(id, query, Status.FAILED, "unexpected error: " + e.getMessage());
			}
			if (failMsg != null && !e.getMessage().equals(failMsg)) {
				return new Outcome(id, query, Status.FAILED, "error message '" + e.getMessage() + "' != '" + failMsg + "'");
			}
			if (failRegex != null && !java.util.regex.Pattern.compile(failRegex).matcher(e.getMessage()).find()) {
				return new Outcome(id, query, Status.FAILED, "error message '" + e.getMessage() + "' !~ " + failRegex);
			}
			return new Outcome(id, query, Status.PASSED, "");
		}
		catch (RuntimeException e) {
			return new Outcome(id, query, Status.FAILED, "crash: " + e);
		}
		if (recorder.touchedHistogram) {
			return new Outcome(id, query, Status.SKIPPED, SKIP_NATIVE_DATA);
		}
		if (expectFail) {
			return new Outcome(id, query, Status.FAILED, "expected failure, got " + describe(result.value()));
		}
		String annoErr = checkAnnotations(result, annotationExpect, noWarn, noInfo);
		if (annoErr != null) {
			return new Outcome(id, query, Status.FAILED, annoErr);
		}
		String err;
		if (expectString != null) {
			err = result.value() instanceof Value.StringValue s && s.value().equals(expectString) ? null
					: "expected string " + expectString + ", got " + describe(result.value());
		}
		else if (result.value() instanceof Value.Matrix m) {
			if (range) {
				err = compareMatrix(m, expected, start, step, true);
			}
			else if (rvStart != null) {
				err = compareMatrix(m, expected, rvStart, rvStep, true);
			}
			else {
				err = compareMatrix(m, expected, 0, 0, false);
			}
		}
		else if (result.value() instanceof Value.Vector v) {
			err = compareVector(v, expected, ordered);
		}
		else if (result.value() instanceof Value.Scalar s) {
			if (expected.size() != 1) {
				err = "expected " + expected + ", got scalar " + s.value();
			}
			else {
				double want = parseNumber(expected.get(0).strip());
				err = floatEquals(want, s.value()) ? null : "expected scalar " + want + ", got " + s.value();
			}
		}
		else {
			err = "unexpected result " + describe(result.value());
		}
		return new Outcome(id, query, err == null ? Status.PASSED : Status.FAILED, err == null ? "" : err);
	}

	private static String checkAnnotations(QueryResult r, List<String[]> expects, boolean noWarn, boolean noInfo) {
		if (noWarn && !r.warnings().isEmpty()) {
			return "unexpected warnings " + r.warnings();
		}
		if (noInfo && !r.infos().isEmpty()) {
			return "unexpected infos " + r.infos();
		}
		for (String kind : List.of("warn", "info")) {
			List<String> actual = kind.equals("warn") ? r.warnings() : r.infos();
			List<String[]> mine = new ArrayList<>();
			for (String[] e : expects) {
				if (e[0].equals(kind)) {
					mine.add(e);
				}
			}
			if (mine.isEmpty()) {
				continue;
			}
			for (String[] e : mine) {
				boolean found = false;
				for (String a : actual) {
					if (matchesAnnotation(e, a)) {
						found = true;
					}
				}
				if (!found) {
					return "missing " + kind + " " + (e[2] == null ? "" : e[2]) + "; got " + actual;
				}
			}
			for (String a : actual) {
				boolean found = false;
				for (String[] e : mine) {
					if (matchesAnnotation(e, a)) {
						found = true;
					}
				}
				if (!found) {
					return "unexpected " + kind + " " + a;
				}
			}
		}
		return null;
	}

	private static boolean matchesAnnotation(String[] e, String a) {
		if (e[1] == null) {
			return true;
		}
		if (e[1].equals("msg")) {
			return a.equals(e[2]);
		}
		return java.util.regex.Pattern.compile(e[2]).matcher(a).find();
	}

	private static String describe(Value v) {
		if (v instanceof Value.Vector vec) {
			StringBuilder sb = new StringBuilder("vector[");
			for (Value.Sample s : vec.samples()) {
				sb.append(s.metric()).append(' ').append(s.value()).append("; ");
			}
			return sb.append(']').toString();
		}
		if (v instanceof Value.Matrix m) {
			StringBuilder sb = new StringBuilder("matrix[");
			for (Value.Series s : m.series()) {
				sb.append(s.metric()).append(' ');
				for (int k = 0; k < s.timestamps().length; k++) {
					sb.append(s.values()[k]).append('@').append(s.timestamps()[k] / 1000.0).append(' ');
				}
				sb.append("; ");
			}
			return sb.append(']').toString();
		}
		return String.valueOf(v);
	}

	static boolean floatEquals(double want, double got) {
		if (StaleNaN.is(want) || StaleNaN.is(got)) {
			return StaleNaN.is(want) == StaleNaN.is(got);
		}
		if (Double.isNaN(want) && Double.isNaN(got)) {
			return true;
		}
		return HistogramQuantile.almostEqual(want, got, 1e-6);
	}

	private String compareVector(Value.Vector v, List<String> expected, boolean ordered) {
		List<SeriesLine> exp = new ArrayList<>();
		for (String e : expected) {
			exp.add(parseSeriesLine(e));
		}
		if (exp.size() != v.samples().size()) {
			return "expected " + exp.size() + " samples, got " + describe(v);
		}
		Map<Labels, Integer> index = new HashMap<>();
		for (int k = 0; k < v.samples().size(); k++) {
			index.put(v.samples().get(k).metric(), k);
		}
		for (int k = 0; k < exp.size(); k++) {
			SeriesLine e = exp.get(k);
			Integer at = index.get(e.labels);
			if (at == null) {
				return "missing " + e.labels + "; got " + describe(v);
			}
			if (ordered && at != k) {
				return "wrong order for " + e.labels + ": at " + at + " expected " + k + "; got " + describe(v);
			}
			double want = e.values.isEmpty() || e.values.get(0) == null ? Double.NaN : e.values.get(0);
			if (e.values.size() != 1 || !floatEquals(want, v.samples().get(at).value())) {
				return "value of " + e.labels + ": expected " + e.values + ", got " + v.samples().get(at).value();
			}
		}
		return null;
	}

	private String compareMatrix(Value.Matrix m, List<String> expected, long start, long step, boolean range) {
		Map<Labels, SeriesLine> exp = new TreeMap<>();
		for (String e : expected) {
			SeriesLine s = parseSeriesLine(e);
			exp.put(s.labels, s);
		}
		int nonEmptyExpected = 0;
		for (SeriesLine s : exp.values()) {
			if (s.values.stream().anyMatch(x -> x != null)) {
				nonEmptyExpected++;
			}
		}
		if (m.series().size() != nonEmptyExpected) {
			return "expected " + nonEmptyExpected + " series, got " + describe(m);
		}
		for (Value.Series s : m.series()) {
			SeriesLine e = exp.get(s.metric());
			if (e == null) {
				return "unexpected series " + s.metric() + "; got " + describe(m);
			}
			if (range) {
				int j = 0;
				for (int k = 0; k < e.values.size(); k++) {
					Double want = e.values.get(k);
					if (want == null) {
						continue;
					}
					long ts = start + k * step;
					if (j >= s.timestamps().length || s.timestamps()[j] != ts || !floatEquals(want, s.values()[j])) {
						return "series " + s.metric() + " mismatch at step " + k + "; got " + describe(m);
					}
					j++;
				}
				if (j != s.timestamps().length) {
					return "series " + s.metric() + " has extra points; got " + describe(m);
				}
			}
			else {
				List<Double> want = new ArrayList<>();
				for (Double d : e.values) {
					if (d != null) {
						want.add(d);
					}
				}
				if (want.size() != s.values().length) {
					return "series " + s.metric() + " expected " + want + "; got " + describe(m);
				}
				for (int k = 0; k < want.size(); k++) {
					if (!floatEquals(want.get(k), s.values()[k])) {
						return "series " + s.metric() + " expected " + want + "; got " + describe(m);
					}
				}
			}
		}
		return null;
	}

}
