package dev.vigil.telemetry.rules;

import dev.vigil.telemetry.promql.Num;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Go's float formatting, so templates and API values read exactly as in Prometheus. */
final class GoFormat {

	private GoFormat() {
	}

	/** {@code fmt.Sprint(float64)}: shortest representation, exponent when it is < -4 or >= 6 (Go's %v). */
	static String value(double v) {
		return Num.shortest(v, 6);
	}

	/** {@code strconv.FormatFloat(v, 'e', -1, 64)}, as the alerts API formats values. */
	static String e(double v) {
		if (Double.isNaN(v)) {
			return "NaN";
		}
		if (Double.isInfinite(v)) {
			return v > 0 ? "+Inf" : "-Inf";
		}
		if (v == 0) {
			return "0e+00";
		}
		BigDecimal bd = new BigDecimal(Double.toString(v)).stripTrailingZeros();
		return Num.scientific(bd, bd.precision() - bd.scale() - 1);
	}

	/** {@code fmt.Sprintf("%.Ng", v)}: N significant digits, trailing zeros removed. */
	static String g(double v, int precision) {
		if (Double.isNaN(v)) {
			return "NaN";
		}
		if (Double.isInfinite(v)) {
			return v > 0 ? "+Inf" : "-Inf";
		}
		if (v == 0) {
			return "0";
		}
		BigDecimal bd = new BigDecimal(v).round(new MathContext(precision, RoundingMode.HALF_EVEN)).stripTrailingZeros();
		int exp = bd.precision() - bd.scale() - 1;
		if (exp < -4 || exp >= precision) {
			return Num.scientific(bd, exp);
		}
		return bd.toPlainString();
	}

}
