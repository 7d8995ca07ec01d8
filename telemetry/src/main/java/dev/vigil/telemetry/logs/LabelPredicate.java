package dev.vigil.telemetry.logs;

import com.google.re2j.Pattern;
import dev.vigil.telemetry.traces.QueryParams;

/**
 * A label filter expression, with Loki's error rules for numeric comparisons: a missing label drops the line; a
 * label that does not convert (number, duration, bytes) does not drop it but sets {@code __error__="LabelFilterErr"};
 * a line that already has an error passes (only string matchers, e.g. {@code __error__=""}, filter errors out).
 */
sealed interface LabelPredicate {

	boolean test(LabelSet labels);

	record And(LabelPredicate left, LabelPredicate right) implements LabelPredicate {

		@Override
		public boolean test(LabelSet labels) {
			return left.test(labels) && right.test(labels);
		}

	}

	record Or(LabelPredicate left, LabelPredicate right) implements LabelPredicate {

		@Override
		public boolean test(LabelSet labels) {
			return left.test(labels) || right.test(labels);
		}

	}

	/** {@code name = "v"}, {@code !=}, {@code =~}, {@code !~}. */
	record StringMatch(LabelMatcher matcher) implements LabelPredicate {

		@Override
		public boolean test(LabelSet labels) {
			return matcher.matches(labels.get(matcher.name()));
		}

	}

	enum Compare {
		EQ, NEQ, GT, GTE, LT, LTE;

		boolean holds(int cmp) {
			return switch (this) {
				case EQ -> cmp == 0;
				case NEQ -> cmp != 0;
				case GT -> cmp > 0;
				case GTE -> cmp >= 0;
				case LT -> cmp < 0;
				case LTE -> cmp <= 0;
			};
		}
	}

	enum Unit {
		NUMBER, DURATION, BYTES
	}

	/** {@code status >= 500}, {@code duration > 10s}, {@code size > 20KB}. */
	record Numeric(String name, Compare compare, Unit unit, double value) implements LabelPredicate {

		@Override
		public boolean test(LabelSet labels) {
			if (labels.get("__error__") != null) {
				return true;
			}
			String text = labels.get(name);
			if (text == null) {
				return false;
			}
			double actual;
			try {
				actual = switch (unit) {
					case NUMBER -> Double.parseDouble(text.trim());
					case DURATION -> QueryParams.parseGoDuration(text.trim(), name);
					case BYTES -> parseBytes(text.trim());
				};
			}
			catch (IllegalArgumentException ex) {
				labels.put("__error__", "LabelFilterErr");
				return true;
			}
			return compare.holds(Double.compare(actual, value));
		}

	}

	/** Humanized byte sizes as Loki (go-humanize) reads them: 20KB = 20,000, 20KiB = 20,480. */
	static double parseBytes(String text) {
		java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)(\\d+(?:\\.\\d+)?)\\s*([kmgtp]?i?b?)")
			.matcher(text);
		if (!m.matches()) {
			throw new IllegalArgumentException("not a byte size: " + text);
		}
		double number = Double.parseDouble(m.group(1));
		String unit = m.group(2).toLowerCase();
		if (unit.isEmpty() || unit.equals("b")) {
			return number;
		}
		int power = "kmgtp".indexOf(unit.charAt(0)) + 1;
		double base = unit.contains("i") ? 1024 : 1000;
		return number * Math.pow(base, power);
	}

	static Pattern anchored(String regex) {
		return Pattern.compile("^(?:" + regex + ")$", Pattern.DOTALL);
	}

}
