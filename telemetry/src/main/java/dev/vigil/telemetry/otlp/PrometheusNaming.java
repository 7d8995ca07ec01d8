package dev.vigil.telemetry.otlp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OTLP → Prometheus metric and label names, following Prometheus's {@code otlptranslator} with the default
 * "underscore escaping with suffixes" strategy: names are split into tokens on every character outside
 * {@code [a-zA-Z0-9:]}, unit suffixes are appended unless already present, {@code _total} is appended to monotonic
 * counters and {@code _ratio} to gauges with unit {@code 1}.
 */
public final class PrometheusNaming {

	/** What the naming rules need to know about a metric's type. */
	public enum Kind {

		GAUGE, MONOTONIC_COUNTER, NON_MONOTONIC_COUNTER, HISTOGRAM, SUMMARY

	}

	private static final Map<String, String> UNITS = Map.ofEntries(Map.entry("d", "days"), Map.entry("h", "hours"),
			Map.entry("min", "minutes"), Map.entry("s", "seconds"), Map.entry("ms", "milliseconds"),
			Map.entry("us", "microseconds"), Map.entry("ns", "nanoseconds"), Map.entry("By", "bytes"),
			Map.entry("KiBy", "kibibytes"), Map.entry("MiBy", "mebibytes"), Map.entry("GiBy", "gibibytes"),
			Map.entry("TiBy", "tibibytes"), Map.entry("KBy", "kilobytes"), Map.entry("MBy", "megabytes"),
			Map.entry("GBy", "gigabytes"), Map.entry("TBy", "terabytes"), Map.entry("m", "meters"),
			Map.entry("V", "volts"), Map.entry("A", "amperes"), Map.entry("J", "joules"), Map.entry("W", "watts"),
			Map.entry("g", "grams"), Map.entry("Cel", "celsius"), Map.entry("Hz", "hertz"), Map.entry("1", ""),
			Map.entry("%", "percent"));

	private static final Map<String, String> PER_UNITS = Map.of("s", "second", "m", "minute", "h", "hour", "d", "day",
			"w", "week", "mo", "month", "y", "year");

	private PrometheusNaming() {
	}

	/**
	 * The Prometheus metric name (without {@code _bucket}/{@code _sum}/{@code _count} suffixes), or the empty string
	 * when the name has no usable characters.
	 */
	public static String metricName(String otelName, String unit, Kind kind) {
		List<String> tokens = tokens(otelName);
		String main = "";
		String per = "";
		String[] unitTokens = unit.split("/", 2);
		String mainOtel = unitTokens[0].trim();
		if (!mainOtel.isEmpty() && mainOtel.indexOf('{') < 0 && mainOtel.indexOf('}') < 0) {
			main = cleanUpUnit(UNITS.getOrDefault(mainOtel, mainOtel));
		}
		if (unitTokens.length > 1 && !unitTokens[1].isEmpty()) {
			String perOtel = unitTokens[1].trim();
			if (!perOtel.isEmpty() && perOtel.indexOf('{') < 0 && perOtel.indexOf('}') < 0) {
				per = cleanUpUnit("per_" + PER_UNITS.getOrDefault(perOtel, perOtel));
			}
		}
		// addUnitTokens: a suffix already among the name's tokens is not repeated
		if (tokens.contains(main)) {
			main = "";
		}
		if (per.equals("per_")) {
			per = "";
		}
		else {
			per = stripTrailingUnderscore(per);
			if (tokens.contains(per)) {
				per = "";
			}
		}
		if (!per.isEmpty()) {
			main = stripTrailingUnderscore(main);
		}
		if (!main.isEmpty()) {
			tokens.add(main);
		}
		if (!per.isEmpty()) {
			tokens.add(per);
		}
		if (kind == Kind.MONOTONIC_COUNTER) {
			tokens.remove("total");
			tokens.add("total");
		}
		// Prometheus appends _ratio for gauges only: some receivers misuse unit "1" for counts of things
		if (unit.equals("1") && kind == Kind.GAUGE) {
			tokens.remove("ratio");
			tokens.add("ratio");
		}
		String name = String.join("_", tokens);
		if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
			name = "_" + name;
		}
		// Prometheus refuses names that end up empty or only underscores
		return name.replace("_", "").isEmpty() ? "" : name;
	}

	private static String stripTrailingUnderscore(String s) {
		return s.endsWith("_") ? s.substring(0, s.length() - 1) : s;
	}

	private static List<String> tokens(String s) {
		List<String> out = new ArrayList<>();
		int start = -1;
		for (int i = 0; i < s.length(); i++) {
			if (isNameChar(s.charAt(i))) {
				if (start < 0) {
					start = i;
				}
			}
			else if (start >= 0) {
				out.add(s.substring(start, i));
				start = -1;
			}
		}
		if (start >= 0) {
			out.add(s.substring(start));
		}
		return out;
	}

	private static boolean isNameChar(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':';
	}

	// non-name characters become underscores, runs of underscores collapse, a leading underscore is trimmed
	private static String cleanUpUnit(String unit) {
		StringBuilder sb = new StringBuilder(unit.length());
		for (int i = 0; i < unit.length(); i++) {
			char c = unit.charAt(i);
			char o = isNameChar(c) ? c : '_';
			if (o == '_' && sb.length() > 0 && sb.charAt(sb.length() - 1) == '_') {
				continue;
			}
			sb.append(o);
		}
		String r = sb.toString();
		return r.startsWith("_") ? r.substring(1) : r;
	}

	/**
	 * A Prometheus label name for an OTLP attribute key, as Prometheus's {@code NormalizeLabel}: invalid characters
	 * become {@code _}, a leading digit gets a {@code key_} prefix, a single leading underscore a {@code key}
	 * prefix. Returns the empty string for an empty key.
	 */
	public static String labelName(String key) {
		if (key.isEmpty()) {
			return key;
		}
		boolean clean = true;
		for (int i = 0; i < key.length(); i++) {
			if (!isLabelChar(key.charAt(i))) {
				clean = false;
				break;
			}
		}
		String label = key;
		if (!clean) {
			StringBuilder sb = new StringBuilder(key.length());
			for (int i = 0; i < key.length(); i++) {
				char c = key.charAt(i);
				sb.append(isLabelChar(c) ? c : '_');
			}
			label = sb.toString();
		}
		if (Character.isDigit(label.charAt(0))) {
			return "key_" + label;
		}
		if (label.startsWith("_") && !label.startsWith("__")) {
			return "key" + label;
		}
		return label;
	}

	private static boolean isLabelChar(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
	}

	/** Formats a bucket bound or quantile as Prometheus's OTLP translator does ({@code 'f', -1}). */
	public static String formatFloat(double v) {
		if (v == Double.POSITIVE_INFINITY) {
			return "+Inf";
		}
		if (v == Double.NEGATIVE_INFINITY) {
			return "-Inf";
		}
		if (Double.isNaN(v)) {
			return "NaN";
		}
		if (v == Math.rint(v) && Math.abs(v) < 1e15) {
			return Long.toString((long) v);
		}
		return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
	}

}
