package dev.vigil.telemetry.rules;

import dev.vigil.telemetry.promql.Engine;
import dev.vigil.telemetry.tsdb.DurationParser;
import dev.vigil.telemetry.tsdb.Labels;
import dev.vigil.telemetry.tsdb.Storage;
import dev.vigil.telemetry.tsdb.StorageConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * {@code promtool test rules}: loads the input series of each test group into a fresh storage, evaluates the rule
 * files from time 0 to the last {@code eval_time} at {@code evaluation_interval}, and compares firing alerts and
 * PromQL results with the expectations. Output and failure messages follow promtool's wording.
 */
public final class RuleUnitTester {

	private static final Set<String> FILE_KEYS = Set.of("rule_files", "evaluation_interval", "group_eval_order",
			"tests", "fuzzy_compare");

	private static final Set<String> GROUP_KEYS = Set.of("interval", "input_series", "alert_rule_test",
			"promql_expr_test", "external_labels", "external_url", "name");

	private RuleUnitTester() {
	}

	/** Runs the test files, printing promtool-style results; returns whether all passed. */
	public static boolean run(List<Path> files, PrintStream out) {
		boolean ok = true;
		for (Path f : files) {
			out.println("Unit Testing:  " + f);
			List<String> errors = runFile(f);
			if (errors.isEmpty()) {
				out.println("  SUCCESS");
				out.println();
			}
			else {
				ok = false;
				out.println("  FAILED:");
				for (String e : errors) {
					out.println(e);
					out.println();
				}
			}
		}
		return ok;
	}

	static List<String> runFile(Path file) {
		Object root;
		try {
			root = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
		}
		catch (IOException e) {
			return List.of("    cannot read " + file + ": " + e.getMessage());
		}
		catch (YAMLException e) {
			return List.of("    " + file + ": invalid YAML: " + e.getMessage());
		}
		if (!(root instanceof Map<?, ?> top)) {
			return List.of("    " + file + ": a test file must be a mapping with rule_files and tests");
		}
		List<String> errors = new ArrayList<>();
		for (Object k : top.keySet()) {
			if (!FILE_KEYS.contains(String.valueOf(k))) {
				errors.add("    " + file + ": field " + k + " not found in type main.unitTestFile");
			}
		}
		if (!errors.isEmpty()) {
			return errors;
		}
		long evalInterval;
		try {
			evalInterval = top.get("evaluation_interval") == null ? 60_000
					: DurationParser.parseMillis(String.valueOf(top.get("evaluation_interval")));
		}
		catch (IllegalArgumentException e) {
			return List.of("    evaluation_interval: " + e.getMessage());
		}
		Path dir = file.toAbsolutePath().getParent();
		List<Path> ruleFiles = new ArrayList<>();
		if (top.get("rule_files") instanceof List<?> rf) {
			for (Object o : rf) {
				Path p = Path.of(String.valueOf(o));
				ruleFiles.add(p.isAbsolute() ? p : dir.resolve(p));
			}
		}
		Object tests = top.get("tests");
		if (!(tests instanceof List<?> testList)) {
			return List.of();
		}
		for (Object t : testList) {
			if (!(t instanceof Map<?, ?> tg)) {
				errors.add("    each test must be a mapping");
				continue;
			}
			try {
				errors.addAll(runGroup(tg, ruleFiles, evalInterval));
			}
			catch (RuleLoadException e) {
				errors.add(e.getMessage().indent(4).stripTrailing());
				return errors;
			}
			catch (IllegalArgumentException e) {
				errors.add("    " + e.getMessage());
			}
		}
		return errors;
	}

	private static List<String> runGroup(Map<?, ?> tg, List<Path> ruleFiles, long evalInterval)
			throws RuleLoadException {
		for (Object k : tg.keySet()) {
			if (!GROUP_KEYS.contains(String.valueOf(k))) {
				throw new IllegalArgumentException("field " + k + " not found in type main.testGroup");
			}
		}
		long interval = tg.get("interval") == null ? evalInterval : duration(tg.get("interval"), "interval");
		String testName = tg.get("name") == null ? "" : String.valueOf(tg.get("name"));
		Map<String, String> externalLabels = strings(tg.get("external_labels"));
		String externalURL = tg.get("external_url") == null ? "" : String.valueOf(tg.get("external_url"));

		// a retention and budget no test reaches: nothing may be dropped behind the test's back
		Storage storage = Storage.open(new StorageConfig(null, Duration.ofDays(365L * 100), 1L << 40,
				StorageConfig.DEFAULT_SNAPSHOT_INTERVAL));
		try {
			for (Object s : list(tg.get("input_series"))) {
				Map<?, ?> sm = (Map<?, ?>) s;
				Labels l = SeriesNotation.labels(String.valueOf(sm.get("series")));
				List<Double> values = SeriesNotation.values(String.valueOf(sm.get("values")));
				for (int i = 0; i < values.size(); i++) {
					if (values.get(i) != null) {
						storage.append(l, i * interval, values.get(i));
					}
				}
			}
			Engine engine = new Engine(storage);
			QueryFunc query = new EngineQueryFunc(engine);
			List<RuleGroup> groups = new RuleFileParser(EngineQueryFunc.CHECKER).load(ruleFiles, evalInterval);

			List<Map<?, ?>> alertTests = new ArrayList<>();
			TreeSet<Long> alertTimes = new TreeSet<>();
			for (Object a : list(tg.get("alert_rule_test"))) {
				Map<?, ?> am = (Map<?, ?>) a;
				if (am.get("alertname") == null || String.valueOf(am.get("alertname")).isEmpty()) {
					throw new IllegalArgumentException("alertname can't be empty");
				}
				alertTests.add(am);
				alertTimes.add(duration(am.get("eval_time"), "eval_time"));
			}
			long maxt = alertTimes.isEmpty() ? 0 : alertTimes.last();
			for (Object p : list(tg.get("promql_expr_test"))) {
				maxt = Math.max(maxt, duration(((Map<?, ?>) p).get("eval_time"), "eval_time"));
			}
			String prefix = testName.isEmpty() ? "" : "    name: " + testName + ",\n";
			List<String> errors = new ArrayList<>();
			List<Long> times = new ArrayList<>(alertTimes);
			int curr = 0;
			for (long ts = 0; ts <= maxt; ts += evalInterval) {
				List<String> evalErrs = new ArrayList<>();
				for (RuleGroup g : groups) {
					g.eval(ts, query, storage::append, externalLabels, externalURL);
					for (Rule r : g.rules) {
						if (!r.lastError().isEmpty()) {
							evalErrs.add("    rule: " + r.name + ", time: " + SeriesNotation.duration(ts) + ", err: "
									+ r.lastError());
						}
					}
				}
				errors.addAll(evalErrs);
				if (!evalErrs.isEmpty()) {
					return errors;
				}
				// alerts expected at eval_time are checked against the evaluation at ts <= eval_time < ts+interval
				while (curr < times.size() && ts <= times.get(curr) && times.get(curr) < ts + evalInterval) {
					long t = times.get(curr);
					for (Map<?, ?> at : alertTests) {
						if (duration(at.get("eval_time"), "eval_time") != t) {
							continue;
						}
						String name = String.valueOf(at.get("alertname"));
						List<String[]> got = new ArrayList<>();
						for (RuleGroup g : groups) {
							for (Rule r : g.rules) {
								if (r instanceof AlertingRule ar && ar.name.equals(name)) {
									for (Alert.Snapshot s : ar.alerts()) {
										if (s.state() == Alert.State.FIRING) {
											got.add(new String[] { s.labels().toString(),
													Labels.of(s.annotations()).toString() });
										}
									}
								}
							}
						}
						List<String[]> exp = new ArrayList<>();
						for (Object e : list(at.get("exp_alerts"))) {
							Map<?, ?> em = (Map<?, ?>) e;
							Map<String, String> labels = new TreeMap<>(strings(em.get("exp_labels")));
							labels.put("alertname", name);
							exp.add(new String[] { Labels.of(labels).toString(),
									Labels.of(strings(em.get("exp_annotations"))).toString() });
						}
						Comparator<String[]> byLabels = Comparator.<String[], String>comparing(x -> x[0])
							.thenComparing(x -> x[1]);
						got.sort(byLabels);
						exp.sort(byLabels);
						if (!sameAlerts(exp, got)) {
							errors.add(prefix + "    alertname: " + name + ", time: " + SeriesNotation.duration(t)
									+ ", \n        exp:" + indent(alertsString(exp), "            ") + ", \n        got:"
									+ indent(alertsString(got), "            "));
						}
					}
					curr++;
				}
			}
			for (Object p : list(tg.get("promql_expr_test"))) {
				Map<?, ?> pm = (Map<?, ?>) p;
				String expr = String.valueOf(pm.get("expr"));
				long t = duration(pm.get("eval_time"), "eval_time");
				String where = "    expr: \"" + expr.replace("\"", "\\\"") + "\", time: " + SeriesNotation.duration(t);
				List<Sample> got;
				try {
					got = query.query(expr, t);
				}
				catch (RuntimeException e) {
					errors.add(where + ", err: " + e.getMessage());
					continue;
				}
				List<Sample> exp = new ArrayList<>();
				boolean bad = false;
				for (Object e : list(pm.get("exp_samples"))) {
					Map<?, ?> em = (Map<?, ?>) e;
					String ls = em.get("labels") == null ? "" : String.valueOf(em.get("labels"));
					try {
						Labels l = ls.isBlank() ? Labels.EMPTY : SeriesNotation.labels(ls);
						exp.add(new Sample(l, value(em.get("value"))));
					}
					catch (IllegalArgumentException ex) {
						errors.add(where + ", err: labels \"" + ls + "\": " + ex.getMessage());
						bad = true;
						break;
					}
				}
				if (bad) {
					continue;
				}
				List<Sample> gotSorted = new ArrayList<>(got);
				gotSorted.sort(Comparator.comparing(Sample::labels));
				exp.sort(Comparator.comparing(Sample::labels));
				if (!sameSamples(exp, gotSorted)) {
					errors.add(where + ",\n        exp: " + samplesString(exp) + "\n        got: "
							+ samplesString(gotSorted));
				}
			}
			return errors;
		}
		finally {
			storage.close();
		}
	}

	private static boolean sameAlerts(List<String[]> a, List<String[]> b) {
		if (a.size() != b.size()) {
			return false;
		}
		for (int i = 0; i < a.size(); i++) {
			if (!a.get(i)[0].equals(b.get(i)[0]) || !a.get(i)[1].equals(b.get(i)[1])) {
				return false;
			}
		}
		return true;
	}

	private static boolean sameSamples(List<Sample> a, List<Sample> b) {
		if (a.size() != b.size()) {
			return false;
		}
		for (int i = 0; i < a.size(); i++) {
			if (!a.get(i).labels().equals(b.get(i).labels()) || !almostEqual(a.get(i).value(), b.get(i).value())) {
				return false;
			}
		}
		return true;
	}

	// promtool compares floats with a small relative tolerance, NaN equal to NaN
	private static boolean almostEqual(double a, double b) {
		if (Double.isNaN(a) && Double.isNaN(b)) {
			return true;
		}
		if (a == b) {
			return true;
		}
		double diff = Math.abs(a - b);
		double eps = 1e-12;
		if (a == 0 || b == 0 || diff < Double.MIN_NORMAL) {
			return diff < eps * Double.MIN_NORMAL;
		}
		return diff / Math.min(Math.abs(a) + Math.abs(b), Double.MAX_VALUE) < eps;
	}

	private static String alertsString(List<String[]> la) {
		if (la.isEmpty()) {
			return "[]";
		}
		StringBuilder s = new StringBuilder("[\n0:").append(indent("\n" + alertString(la.get(0)), "  "));
		for (int i = 1; i < la.size(); i++) {
			s.append(",\n").append(i).append(':').append(indent("\n" + alertString(la.get(i)), "  "));
		}
		return s.append("\n]").toString();
	}

	private static String alertString(String[] a) {
		return "Labels:" + a[0] + "\nAnnotations:" + a[1];
	}

	private static String indent(String s, String prefix) {
		return s.replace("\n", "\n" + prefix);
	}

	private static String samplesString(List<Sample> ss) {
		if (ss.isEmpty()) {
			return "nil";
		}
		StringBuilder sb = new StringBuilder();
		for (Sample s : ss) {
			if (sb.length() > 0) {
				sb.append(", ");
			}
			sb.append(s.labels()).append(' ').append(GoFormat.e(s.value()).toUpperCase(java.util.Locale.ROOT)
				.replace("INF", "Inf").replace("NAN", "NaN"));
		}
		return sb.toString();
	}

	private static long duration(Object v, String field) {
		if (v == null) {
			return 0;
		}
		try {
			return DurationParser.parseMillis(String.valueOf(v));
		}
		catch (IllegalArgumentException e) {
			throw new IllegalArgumentException(field + ": " + e.getMessage());
		}
	}

	private static double value(Object v) {
		if (v instanceof Number n) {
			return n.doubleValue();
		}
		String s = String.valueOf(v).trim();
		switch (s) {
			case "Inf", "+Inf", "inf", "+inf":
				return Double.POSITIVE_INFINITY;
			case "-Inf", "-inf":
				return Double.NEGATIVE_INFINITY;
			case "NaN", "nan":
				return Double.NaN;
			default:
				return Double.parseDouble(s);
		}
	}

	private static List<?> list(Object o) {
		return o instanceof List<?> l ? l : List.of();
	}

	private static Map<String, String> strings(Object o) {
		Map<String, String> out = new LinkedHashMap<>();
		if (o instanceof Map<?, ?> m) {
			m.forEach((k, v) -> out.put(String.valueOf(k), Objects.toString(v, "")));
		}
		return out;
	}

}
