package dev.vigil.telemetry.tsdb;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * A label matcher as in PromQL selectors. Regular expressions are fully anchored (RE2 syntax), and a missing label
 * matches like the empty string.
 */
public final class Matcher {

	/** Matcher kinds, with their PromQL spelling. */
	public enum Type {

		EQUAL("="), NOT_EQUAL("!="), REGEX("=~"), NOT_REGEX("!~");

		private final String symbol;

		Type(String symbol) {
			this.symbol = symbol;
		}

		public String symbol() {
			return symbol;
		}

	}

	private final Type type;
	private final String name;
	private final String value;
	private final Pattern pattern;

	private Matcher(Type type, String name, String value) {
		this.type = type;
		this.name = name;
		this.value = value;
		if (type == Type.REGEX || type == Type.NOT_REGEX) {
			// (?s) makes '.' match newlines, as Prometheus does since 3.0
			this.pattern = Pattern.compile("^(?s:" + value + ")$");
		}
		else {
			this.pattern = null;
		}
	}

	/**
	 * Creates a matcher.
	 * @throws IllegalArgumentException when a regular expression does not compile
	 */
	public static Matcher of(Type type, String name, String value) {
		try {
			return new Matcher(type, name, value);
		}
		catch (PatternSyntaxException e) {
			throw new IllegalArgumentException("invalid regular expression " + quote(value) + ": " + e.getMessage(), e);
		}
	}

	public static Matcher equal(String name, String value) {
		return of(Type.EQUAL, name, value);
	}

	public Type type() {
		return type;
	}

	public String name() {
		return name;
	}

	public String value() {
		return value;
	}

	/** Whether a label value (empty when the label is absent) satisfies the matcher. */
	public boolean matches(String v) {
		return switch (type) {
			case EQUAL -> value.equals(v);
			case NOT_EQUAL -> !value.equals(v);
			case REGEX -> pattern.matches(v);
			case NOT_REGEX -> !pattern.matches(v);
		};
	}

	/** Whether the matcher matches the empty string, i.e. series lacking the label. */
	public boolean matchesEmpty() {
		return matches("");
	}

	@Override
	public String toString() {
		return name + type.symbol + quote(value);
	}

	static String quote(String s) {
		return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
	}

}
