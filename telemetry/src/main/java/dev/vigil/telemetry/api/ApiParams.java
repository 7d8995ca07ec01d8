package dev.vigil.telemetry.api;

import dev.vigil.telemetry.tsdb.DurationParser;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** Parameter parsing with Prometheus's rules and error messages. */
final class ApiParams {

	/** Prometheus's minimum and maximum API times, as used for open-ended ranges. */
	static final long MIN_TIME = -9223309901257974L;

	static final long MAX_TIME = 9223309901257974L;

	private final Map<String, List<String>> params;

	ApiParams(Map<String, List<String>> params) {
		this.params = params == null ? Map.of() : params;
	}

	String get(String name) {
		List<String> v = params.get(name);
		return v == null || v.isEmpty() ? null : v.get(0);
	}

	List<String> all(String name) {
		List<String> v = params.get(name);
		return v == null ? List.of() : v;
	}

	long time(String name, long dflt) {
		String s = get(name);
		if (s == null || s.isEmpty()) {
			return dflt;
		}
		try {
			return parseTime(s);
		}
		catch (IllegalArgumentException e) {
			throw ApiError.invalidParam(name, e.getMessage());
		}
	}

	/** Unix seconds with up to millisecond decimals, or RFC 3339. */
	static long parseTime(String s) {
		try {
			BigDecimal secs = new BigDecimal(s.trim());
			return secs.movePointRight(3).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
		}
		catch (NumberFormatException | ArithmeticException e) {
			// fall through to RFC 3339
		}
		try {
			OffsetDateTime t = OffsetDateTime.parse(s);
			return t.toInstant().toEpochMilli();
		}
		catch (DateTimeParseException e) {
			throw new IllegalArgumentException("cannot parse \"" + s + "\" to a valid timestamp");
		}
	}

	/** A duration as float seconds or a Prometheus duration string; returns ms. */
	static long parseDuration(String s) {
		try {
			double d = Double.parseDouble(s);
			if (Double.isNaN(d) || Math.abs(d * 1000) > 9.2e15) {
				throw new IllegalArgumentException("cannot parse \"" + s + "\" to a valid duration. It overflows int64");
			}
			return Math.round(d * 1000);
		}
		catch (NumberFormatException e) {
			// fall through to a duration string
		}
		try {
			return DurationParser.parseMillis(s);
		}
		catch (IllegalArgumentException | ArithmeticException e) {
			throw new IllegalArgumentException("cannot parse \"" + s + "\" to a valid duration");
		}
	}

	long duration(String name) {
		String s = get(name);
		try {
			return parseDuration(s);
		}
		catch (IllegalArgumentException e) {
			throw ApiError.invalidParam(name, e.getMessage());
		}
	}

}
