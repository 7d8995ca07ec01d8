package dev.vigil.telemetry.promql;

import dev.vigil.telemetry.tsdb.Labels;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The failures {@code promtool test rules} (Prometheus 2.42, cmd/promtool/unittest.go) prints for
 * {@code promql_expr_test} entries, keyed by expression and evaluation time:
 *
 * <pre>
 *     expr: "sum(foo)", time: 16m7s,
 *         exp: {} 4.91E+01
 *         got: {} 4.910000000000001E+01
 *     expr: "foo @ bar", time: 16m7s, err: 1:5: parse error: ...
 * </pre>
 *
 * The expression is Go-quoted ({@code %q}); labels are {@code labels.Labels.String()}; values are
 * {@code strconv.FormatFloat(v, 'E', -1, 64)}, i.e. full round-trip precision, so promtool's own results can be
 * compared with ours at any tolerance.
 */
final class PromtoolReport {

	/** One reported expression: either {@code error} or the {@code got} samples (promtool's results). */
	record Failure(String error, List<Sample> got) {
	}

	/** A result sample with its labels as a map (including {@code __name__}). */
	record Sample(Labels labels, double value) {
	}

	private final Map<String, Failure> failures = new HashMap<>();

	private PromtoolReport() {
	}

	static PromtoolReport parse(String output) {
		PromtoolReport report = new PromtoolReport();
		String[] lines = output.split("\n", -1);
		for (int i = 0; i < lines.length; i++) {
			String line = lines[i];
			if (!line.startsWith("    expr: \"")) {
				continue;
			}
			int[] end = new int[1];
			String expr = unquote(line, "    expr: ".length(), end);
			String rest = line.substring(end[0]);
			if (!rest.startsWith(", time: ")) {
				throw new IllegalArgumentException("unexpected promtool line: " + line);
			}
			rest = rest.substring(", time: ".length());
			int comma = rest.indexOf(',');
			String time = comma < 0 ? rest : rest.substring(0, comma);
			String after = comma < 0 ? "" : rest.substring(comma);
			if (after.startsWith(", err: ")) {
				report.failures.put(key(expr, time), new Failure(after.substring(", err: ".length()), List.of()));
				continue;
			}
			String got = i + 2 < lines.length ? lines[i + 2] : "";
			if (!got.startsWith("        got: ")) {
				throw new IllegalArgumentException("expected a got: line after: " + line + "\nbut found: " + got);
			}
			report.failures.put(key(expr, time), new Failure(null, samples(got.substring("        got: ".length()))));
			i += 2;
		}
		return report;
	}

	/** The failure reported for {@code expr} at {@code time} (Go duration text), or null if promtool agreed. */
	Failure failure(String expr, String time) {
		return failures.get(key(expr, time));
	}

	int size() {
		return failures.size();
	}

	private static String key(String expr, String time) {
		return time + " " + expr;
	}

	/** Go's {@code %q} for the ASCII text the corpus uses. */
	static String quote(String s) {
		StringBuilder b = new StringBuilder("\"");
		for (char c : s.toCharArray()) {
			if (c == '"' || c == '\\') {
				b.append('\\');
			}
			b.append(c);
		}
		return b.append('"').toString();
	}

	/** Reads a Go-quoted string starting at {@code start} (the opening quote); {@code end[0]} is set past it. */
	private static String unquote(String s, int start, int[] end) {
		if (s.charAt(start) != '"') {
			throw new IllegalArgumentException("expected a quoted string at " + start + " in: " + s);
		}
		StringBuilder b = new StringBuilder();
		int i = start + 1;
		while (s.charAt(i) != '"') {
			char c = s.charAt(i++);
			if (c == '\\') {
				char e = s.charAt(i++);
				switch (e) {
					case 'n' -> b.append('\n');
					case 't' -> b.append('\t');
					case '"', '\\' -> b.append(e);
					default -> throw new IllegalArgumentException("unsupported escape \\" + e + " in: " + s);
				}
			}
			else {
				b.append(c);
			}
		}
		end[0] = i + 1;
		return b.toString();
	}

	/** Parses {@code {a="b", c="d"} 1.5E+00, {} NaN} or {@code nil}. */
	private static List<Sample> samples(String text) {
		List<Sample> out = new ArrayList<>();
		if (text.equals("nil")) {
			return out;
		}
		int i = 0;
		while (i < text.length()) {
			if (text.charAt(i) != '{') {
				throw new IllegalArgumentException("expected { at " + i + " in: " + text);
			}
			i++;
			Labels.Builder labels = Labels.builder();
			while (text.charAt(i) != '}') {
				int eq = text.indexOf('=', i);
				String name = text.substring(i, eq);
				int[] end = new int[1];
				String value = unquote(text, eq + 1, end);
				labels.set(name, value);
				i = end[0];
				if (text.startsWith(", ", i)) {
					i += 2;
				}
			}
			i++;
			if (text.charAt(i) != ' ') {
				throw new IllegalArgumentException("expected a space after the labels at " + i + " in: " + text);
			}
			int next = text.indexOf(", {", i);
			String value = text.substring(i + 1, next < 0 ? text.length() : next);
			out.add(new Sample(labels.build(), goFloat(value)));
			i = next < 0 ? text.length() : next + 2;
		}
		return out;
	}

	private static double goFloat(String s) {
		return switch (s) {
			case "+Inf" -> Double.POSITIVE_INFINITY;
			case "-Inf" -> Double.NEGATIVE_INFINITY;
			case "NaN" -> Double.NaN;
			default -> Double.parseDouble(s);
		};
	}

}
