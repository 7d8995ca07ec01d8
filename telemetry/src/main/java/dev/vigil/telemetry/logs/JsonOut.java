package dev.vigil.telemetry.logs;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Hand-written JSON output for the API's few shapes: exact control over timestamps ("1588889221.5", never an
 * exponent) and value formatting (Prometheus's strconv 'f', -1), with no tree built per entry.
 */
final class JsonOut {

	private JsonOut() {
	}

	static void string(StringBuilder out, String text) {
		out.append('"');
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					if (c < 0x20 || c == 0x2028 || c == 0x2029) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		out.append('"');
	}

	static void labels(StringBuilder out, Map<String, String> labels) {
		out.append('{');
		boolean first = true;
		for (Map.Entry<String, String> label : labels.entrySet()) {
			if (!first) {
				out.append(',');
			}
			first = false;
			string(out, label.getKey());
			out.append(':');
			string(out, label.getValue());
		}
		out.append('}');
	}

	/** Unix seconds as a JSON number, as Loki's matrix and vector results carry them. */
	static String seconds(long nanos) {
		if (nanos % 1_000_000_000L == 0) {
			return Long.toString(nanos / 1_000_000_000L);
		}
		return BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString();
	}

	/** A sample value as Prometheus and Loki print it. */
	static String value(double v) {
		if (Double.isNaN(v)) {
			return "NaN";
		}
		if (Double.isInfinite(v)) {
			return v > 0 ? "+Inf" : "-Inf";
		}
		if (v == Math.rint(v) && Math.abs(v) < 1e15) {
			return Long.toString((long) v);
		}
		return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
	}

}
