package dev.vigil.telemetry.traces;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * Request parameters of the Tempo and Loki APIs, with their time conventions: unix seconds, unix nanoseconds (Loki's
 * default) or RFC 3339; Go durations ("250ms", "1h30m"). Errors say which parameter is wrong.
 */
public final class QueryParams {

	private final Map<String, List<String>> params;

	public QueryParams(Map<String, List<String>> params) {
		this.params = params == null ? Map.of() : params;
	}

	public String get(String name) {
		List<String> values = params.get(name);
		return values == null || values.isEmpty() ? null : values.get(0);
	}

	public int limit(String name, int dflt, int max) {
		String value = get(name);
		if (value == null || value.isBlank()) {
			return dflt;
		}
		try {
			int limit = Integer.parseInt(value.trim());
			if (limit >= 1 && limit <= max) {
				return limit;
			}
		}
		catch (NumberFormatException ignored) {
			// fall through
		}
		throw new IllegalArgumentException(name + " must be a whole number from 1 to " + max + ", not \"" + value + "\"");
	}

	/** A time in unix nanoseconds; numbers below 1e12 are seconds, above are nanoseconds (as Loki accepts both). */
	public long timeNanos(String name, long dflt) {
		String value = get(name);
		if (value == null || value.isBlank()) {
			return dflt;
		}
		try {
			BigDecimal number = new BigDecimal(value.trim());
			if (number.compareTo(BigDecimal.valueOf(1_000_000_000_000L)) < 0) {
				return number.movePointRight(9).longValueExact();
			}
			return number.longValueExact();
		}
		catch (NumberFormatException | ArithmeticException ex) {
			try {
				Instant instant = Instant.parse(value.trim());
				return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
			}
			catch (DateTimeParseException notRfc3339) {
				throw new IllegalArgumentException(name + " \"" + value
						+ "\" is not a time; use unix seconds, unix nanoseconds or RFC 3339");
			}
		}
	}

	/** A Go duration ("1h30m", "250ms") in nanoseconds. */
	public long durationNanos(String name, long dflt) {
		String value = get(name);
		if (value == null || value.isBlank()) {
			return dflt;
		}
		return parseGoDuration(value.trim(), name);
	}

	public static long parseGoDuration(String text, String what) {
		java.util.regex.Matcher part = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h|d)").matcher(text);
		long total = 0;
		int consumed = 0;
		while (part.find() && part.start() == consumed) {
			double amount = Double.parseDouble(part.group(1));
			double factor = switch (part.group(2)) {
				case "ns" -> 1;
				case "us", "µs" -> 1e3;
				case "ms" -> 1e6;
				case "s" -> 1e9;
				case "m" -> 60e9;
				case "h" -> 3600e9;
				default -> 86400e9;
			};
			total += (long) (amount * factor);
			consumed = part.end();
		}
		if (consumed != text.length() || consumed == 0) {
			throw new IllegalArgumentException(what + " \"" + text + "\" is not a duration; use e.g. 250ms, 5m or 1h30m");
		}
		return total;
	}

}
