package dev.vigil.loadgen;

import java.time.Duration;
import java.util.Locale;

/** Parsing and printing of the CLI's units ({@code 60s}, {@code 200/s}, {@code 1%}). */
final class Units {

	private Units() {
	}

	/** {@code 250ms}, {@code 60s}, {@code 1.5s}, {@code 2m}, {@code 1h}. A unit is required: "60" is ambiguous. */
	static Duration parseDuration(String text) {
		String s = text.trim().toLowerCase(Locale.ROOT);
		double factorNanos;
		String number;
		if (s.endsWith("ms")) {
			factorNanos = 1e6;
			number = s.substring(0, s.length() - 2);
		}
		else if (s.endsWith("us")) {
			factorNanos = 1e3;
			number = s.substring(0, s.length() - 2);
		}
		else if (s.endsWith("s")) {
			factorNanos = 1e9;
			number = s.substring(0, s.length() - 1);
		}
		else if (s.endsWith("m")) {
			factorNanos = 60e9;
			number = s.substring(0, s.length() - 1);
		}
		else if (s.endsWith("h")) {
			factorNanos = 3600e9;
			number = s.substring(0, s.length() - 1);
		}
		else {
			throw new IllegalArgumentException("'" + text + "' has no unit; write e.g. 250ms, 60s, 2m or 1h");
		}
		double value = parseNumber(number, text);
		if (value < 0) {
			throw new IllegalArgumentException("'" + text + "' is negative");
		}
		return Duration.ofNanos(Math.round(value * factorNanos));
	}

	/** {@code 200/s}, {@code 200}, {@code 600/m}. Returns requests per second. */
	static double parseRate(String text) {
		String s = text.trim().toLowerCase(Locale.ROOT);
		double divisor = 1;
		if (s.endsWith("/s")) {
			s = s.substring(0, s.length() - 2);
		}
		else if (s.endsWith("/m")) {
			s = s.substring(0, s.length() - 2);
			divisor = 60;
		}
		double value = parseNumber(s, text) / divisor;
		if (value < 0) {
			throw new IllegalArgumentException("rate '" + text + "' is negative");
		}
		return value;
	}

	/** {@code 1%} or {@code 0.01}: a fraction in [0, 1]. */
	static double parseFraction(String text) {
		String s = text.trim();
		double value = s.endsWith("%") ? parseNumber(s.substring(0, s.length() - 1), text) / 100
				: parseNumber(s, text);
		if (value < 0 || value > 1) {
			throw new IllegalArgumentException("'" + text + "' is not between 0% and 100%");
		}
		return value;
	}

	private static double parseNumber(String number, String original) {
		try {
			double v = Double.parseDouble(number.trim());
			if (Double.isNaN(v) || Double.isInfinite(v)) {
				throw new NumberFormatException();
			}
			return v;
		}
		catch (NumberFormatException e) {
			throw new IllegalArgumentException("'" + original + "' is not a number with a unit");
		}
	}

	static String formatDuration(Duration d) {
		long ms = d.toMillis();
		if (ms % 3_600_000 == 0 && ms > 0) {
			return ms / 3_600_000 + "h";
		}
		if (ms % 60_000 == 0 && ms > 0) {
			return ms / 60_000 + "m";
		}
		if (ms % 1000 == 0) {
			return ms / 1000 + "s";
		}
		return ms + "ms";
	}
}
