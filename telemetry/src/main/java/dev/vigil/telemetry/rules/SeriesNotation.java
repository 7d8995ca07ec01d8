package dev.vigil.telemetry.rules;

import dev.vigil.telemetry.tsdb.Labels;
import dev.vigil.telemetry.tsdb.StaleNaN;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The notations of {@code promtool test rules} input: series descriptions ({@code metric{a="b"}}) and expanded
 * value sequences ({@code 0+10x100}, {@code 1x4}, {@code _x3}, {@code stale}).
 */
final class SeriesNotation {

	private static final String NUM = "[+-]?(?:Inf|inf|NaN|nan|(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?)";

	private static final Pattern ITEM = Pattern.compile("(" + NUM + ")(?:(" + NUM + ")?x([0-9]+))?");

	private static final Pattern BLANK = Pattern.compile("_(?:x([0-9]+))?");

	private SeriesNotation() {
	}

	/** Expands a value sequence; null entries are omitted samples. */
	static List<Double> values(String text) {
		List<Double> out = new ArrayList<>();
		for (String tok : text.trim().split("\\s+")) {
			if (tok.isEmpty()) {
				continue;
			}
			if (tok.equals("stale")) {
				out.add(StaleNaN.VALUE);
				continue;
			}
			Matcher b = BLANK.matcher(tok);
			if (b.matches()) {
				int n = b.group(1) == null ? 1 : Integer.parseInt(b.group(1));
				for (int i = 0; i < n; i++) {
					out.add(null);
				}
				continue;
			}
			Matcher m = ITEM.matcher(tok);
			if (!m.matches()) {
				throw new IllegalArgumentException("invalid value \"" + tok + "\" in series values \"" + text
						+ "\"; expected forms: 1, 1x3, 0+10x100, 5-1x4, _, _x3, stale");
			}
			double base = number(m.group(1));
			if (m.group(3) == null) {
				out.add(base);
				continue;
			}
			double step = m.group(2) == null ? 0 : number(m.group(2));
			int n = Integer.parseInt(m.group(3));
			// n repetitions after the first value, as promqltest's "a+bxn" gives n+1 values. Accumulated by repeated
			// addition, as Prometheus's series grammar does ($1 += $2), not base + i*step: with steps such as 0.1 the
			// two differ in the last bits, and promtool compares results exactly.
			double value = base;
			for (int i = 0; i <= n; i++) {
				out.add(value);
				value += step;
			}
		}
		return out;
	}

	private static double number(String s) {
		String t = s.startsWith("+") ? s.substring(1) : s;
		switch (t.toLowerCase(java.util.Locale.ROOT)) {
			case "inf":
				return Double.POSITIVE_INFINITY;
			case "-inf":
				return Double.NEGATIVE_INFINITY;
			case "nan", "-nan":
				return Double.NaN;
			default:
		}
		if (t.startsWith("0x") || t.startsWith("-0x")) {
			boolean neg = t.startsWith("-");
			long v = Long.parseLong(t.substring(neg ? 3 : 2), 16);
			return neg ? -v : v;
		}
		return Double.parseDouble(t);
	}

	/** Parses {@code name{label="value", ...}}, {@code name} or {@code {__name__="x"}} into labels. */
	static Labels labels(String text) {
		String s = text.trim();
		Labels.Builder b = Labels.builder();
		int i = 0;
		while (i < s.length() && isNameChar(s.charAt(i), i == 0)) {
			i++;
		}
		if (i > 0) {
			b.set(Labels.METRIC_NAME, s.substring(0, i));
		}
		if (i == s.length()) {
			if (i == 0) {
				throw new IllegalArgumentException("empty series description");
			}
			return b.build();
		}
		if (s.charAt(i) != '{' || s.charAt(s.length() - 1) != '}') {
			throw new IllegalArgumentException("invalid series \"" + text + "\": expected name{label=\"value\", ...}");
		}
		i++;
		int end = s.length() - 1;
		while (true) {
			while (i < end && (Character.isWhitespace(s.charAt(i)) || s.charAt(i) == ',')) {
				i++;
			}
			if (i >= end) {
				break;
			}
			int ns = i;
			while (i < end && isNameChar(s.charAt(i), i == ns) && s.charAt(i) != ':') {
				i++;
			}
			String name = s.substring(ns, i);
			if (name.isEmpty()) {
				throw new IllegalArgumentException("invalid series \"" + text + "\": expected a label name at " + ns);
			}
			while (i < end && Character.isWhitespace(s.charAt(i))) {
				i++;
			}
			if (i >= end || s.charAt(i) != '=') {
				throw new IllegalArgumentException("invalid series \"" + text + "\": expected = after " + name);
			}
			i++;
			while (i < end && Character.isWhitespace(s.charAt(i))) {
				i++;
			}
			if (i >= end || (s.charAt(i) != '"' && s.charAt(i) != '\'' && s.charAt(i) != '`')) {
				throw new IllegalArgumentException("invalid series \"" + text + "\": expected a quoted value for " + name);
			}
			char q = s.charAt(i++);
			StringBuilder v = new StringBuilder();
			while (i < end && s.charAt(i) != q) {
				char c = s.charAt(i++);
				if (c == '\\' && q != '`' && i < end) {
					char e = s.charAt(i++);
					v.append(switch (e) {
						case 'n' -> '\n';
						case 't' -> '\t';
						default -> e;
					});
				}
				else {
					v.append(c);
				}
			}
			if (i >= end) {
				throw new IllegalArgumentException("invalid series \"" + text + "\": unterminated value for " + name);
			}
			i++;
			b.set(name, v.toString());
		}
		return b.build();
	}

	private static boolean isNameChar(char c, boolean first) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || (!first && c >= '0' && c <= '9');
	}

	/** Go's {@code model.Duration.String()}: {@code 1h5m}, {@code 10m}, {@code 0s}. */
	static String duration(long ms) {
		if (ms == 0) {
			return "0s";
		}
		StringBuilder sb = new StringBuilder();
		long[] units = { 365L * 24 * 3600_000, 7L * 24 * 3600_000, 24L * 3600_000, 3600_000, 60_000, 1000, 1 };
		String[] names = { "y", "w", "d", "h", "m", "s", "ms" };
		long rest = ms;
		for (int i = 0; i < units.length; i++) {
			if (rest >= units[i]) {
				sb.append(rest / units[i]).append(names[i]);
				rest %= units[i];
			}
		}
		return sb.toString();
	}

}
