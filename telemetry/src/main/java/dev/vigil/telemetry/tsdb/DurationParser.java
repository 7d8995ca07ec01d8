package dev.vigil.telemetry.tsdb;

/** Parses Prometheus durations such as {@code 1h30m}, {@code 5m}, {@code 250ms}. */
public final class DurationParser {

	private DurationParser() {
	}

	/**
	 * Milliseconds in a Prometheus duration string.
	 * @throws IllegalArgumentException on malformed input
	 */
	public static long parseMillis(String s) {
		if (s.isEmpty()) {
			throw new IllegalArgumentException("empty duration string");
		}
		long total = 0;
		int i = 0;
		int n = s.length();
		int lastUnit = -1;
		while (i < n) {
			int start = i;
			while (i < n && Character.isDigit(s.charAt(i))) {
				i++;
			}
			if (start == i) {
				throw new IllegalArgumentException("not a valid duration string: \"" + s + "\"");
			}
			long num = Long.parseLong(s.substring(start, i));
			int us = i;
			while (i < n && Character.isLetter(s.charAt(i))) {
				i++;
			}
			String unit = s.substring(us, i);
			int order;
			long mult;
			switch (unit) {
				case "y" -> { order = 0; mult = 365L * 24 * 3600 * 1000; }
				case "w" -> { order = 1; mult = 7L * 24 * 3600 * 1000; }
				case "d" -> { order = 2; mult = 24L * 3600 * 1000; }
				case "h" -> { order = 3; mult = 3600L * 1000; }
				case "m" -> { order = 4; mult = 60L * 1000; }
				case "s" -> { order = 5; mult = 1000; }
				case "ms" -> { order = 6; mult = 1; }
				default -> throw new IllegalArgumentException("not a valid duration string: \"" + s + "\"");
			}
			if (order <= lastUnit) {
				throw new IllegalArgumentException("not a valid duration string: \"" + s + "\"");
			}
			lastUnit = order;
			total = Math.addExact(total, Math.multiplyExact(num, mult));
		}
		return total;
	}

}
