package dev.vigil.slo;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus duration literals ({@code 5m}, {@code 30d}): the subset the generator reads in specs and
 * writes into range selectors.
 */
final class PrometheusDuration {

	private static final Pattern SINGLE_UNIT = Pattern.compile("(\\d+)(ms|s|m|h|d|w)");

	private PrometheusDuration() {
	}

	/** Returns the duration, or {@code null} when the text is not a single-unit Prometheus duration. */
	static Duration parse(String text) {
		Matcher matcher = SINGLE_UNIT.matcher(text.trim());
		if (!matcher.matches()) {
			return null;
		}
		long amount = Long.parseLong(matcher.group(1));
		return switch (matcher.group(2)) {
			case "ms" -> Duration.ofMillis(amount);
			case "s" -> Duration.ofSeconds(amount);
			case "m" -> Duration.ofMinutes(amount);
			case "h" -> Duration.ofHours(amount);
			case "d" -> Duration.ofDays(amount);
			case "w" -> Duration.ofDays(7 * amount);
			default -> null;
		};
	}

	/**
	 * Formats whole seconds with the largest unit that divides them exactly ({@code 3600s -> 1h},
	 * {@code 90s -> 90s}); single-unit literals are understood by every Prometheus version.
	 */
	static String format(Duration duration) {
		long seconds = duration.getSeconds();
		if (seconds > 0 && seconds % 86_400 == 0) {
			return seconds / 86_400 + "d";
		}
		if (seconds > 0 && seconds % 3_600 == 0) {
			return seconds / 3_600 + "h";
		}
		if (seconds > 0 && seconds % 60 == 0) {
			return seconds / 60 + "m";
		}
		return seconds + "s";
	}

}
