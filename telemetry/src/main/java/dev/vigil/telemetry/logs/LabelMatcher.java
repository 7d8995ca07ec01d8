package dev.vigil.telemetry.logs;

import com.google.re2j.Pattern;

/** A stream selector matcher; regexes are RE2 (linear time) and fully anchored, as in Loki and Prometheus. */
record LabelMatcher(String name, Op op, String value, Pattern pattern) {

	enum Op {
		EQ("="), NEQ("!="), RE("=~"), NRE("!~");

		final String text;

		Op(String text) {
			this.text = text;
		}
	}

	/** A missing label matches as the empty string, as in Loki. */
	boolean matches(String actual) {
		String v = actual == null ? "" : actual;
		return switch (op) {
			case EQ -> v.equals(value);
			case NEQ -> !v.equals(value);
			case RE -> pattern.matcher(v).matches();
			case NRE -> !pattern.matcher(v).matches();
		};
	}

	@Override
	public String toString() {
		return name + op.text + "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

}
