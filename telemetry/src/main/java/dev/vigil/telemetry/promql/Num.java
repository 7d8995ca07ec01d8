package dev.vigil.telemetry.promql;

import java.math.BigDecimal;

/** Number formatting as Go's strconv.FormatFloat(f, 'f', -1, 64), used in API output and labels. */
public final class Num {

	private Num() {
	}

	/** Formats like Go {@code strconv.FormatFloat(v, 'f', -1, 64)}: shortest round-trip digits, no exponent. */
	public static String format(double v) {
		if (Double.isNaN(v)) {
			return "NaN";
		}
		if (Double.isInfinite(v)) {
			return v > 0 ? "+Inf" : "-Inf";
		}
		if (v == Math.rint(v) && Math.abs(v) < 1e15) {
			return Long.toString((long) v);
		}
		// shortest repr that round-trips, in plain notation
		return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
	}

	/** Go's FormatFloat(f, 'g', -1, 64)-like, used for count_values labels and le values. */
	static String formatG(double v) {
		return shortest(v, 21);
	}

	/**
	 * Shortest round-trip digits, in exponent form when the exponent is below -4 or at least {@code expThreshold}
	 * (Go's 'g' with precision -1 uses 21; {@code fmt.Sprint} uses 6). Shared with the rule templates.
	 */
	public static String shortest(double v, int expThreshold) {
		if (Double.isNaN(v)) {
			return "NaN";
		}
		if (Double.isInfinite(v)) {
			return v > 0 ? "+Inf" : "-Inf";
		}
		if (v == 0) {
			return (1 / v < 0) ? "-0" : "0";
		}
		BigDecimal bd = new BigDecimal(Double.toString(v)).stripTrailingZeros();
		int exp = bd.precision() - bd.scale() - 1;
		if (exp < -4 || exp >= expThreshold) {
			return scientific(bd, exp);
		}
		return bd.toPlainString();
	}

	/** Go's exponent notation of {@code bd}: d.ddde±XX, at least two exponent digits. */
	public static String scientific(BigDecimal bd, int exp) {
		String digits = bd.unscaledValue().abs().toString();
		StringBuilder sb = new StringBuilder();
		if (bd.signum() < 0) {
			sb.append('-');
		}
		sb.append(digits.charAt(0));
		if (digits.length() > 1) {
			sb.append('.').append(digits, 1, digits.length());
		}
		sb.append('e').append(exp < 0 ? '-' : '+');
		int a = Math.abs(exp);
		if (a < 10) {
			sb.append('0');
		}
		sb.append(a);
		return sb.toString();
	}

}
