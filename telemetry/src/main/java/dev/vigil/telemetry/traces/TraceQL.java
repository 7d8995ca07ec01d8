package dev.vigil.telemetry.traces;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The TraceQL subset vigil-telemetry understands: one spanset filter, {@code { cond && cond || cond }}, where a
 * condition compares an intrinsic ({@code name}, {@code status}, {@code duration}, {@code kind}) or an attribute
 * ({@code resource.x}, {@code span.x}, {@code .x} for either) with {@code = != > < >= <= =~ !~}. A trace matches when
 * one of its spans satisfies the whole filter, as in Tempo. Everything else (pipelines, aggregates, structural
 * operators, parentheses) is refused with its position. Regexes are RE2 (linear time: no regex bombs).
 */
public final class TraceQL {

	private final String text;

	private int pos;

	private TraceQL(String text) {
		this.text = text;
	}

	/** A predicate over spans, which also tells which traces cannot contain a matching span. */
	public static SpanFilter parse(String query) {
		return new TraceQL(query).parseQuery();
	}

	private SpanFilter parseQuery() {
		skipSpaces();
		expect('{');
		skipSpaces();
		if (peek() == '}') {
			pos++;
			end();
			return SpanFilter.ALL;
		}
		SpanFilter or = parseAnd();
		while (lookingAt("||")) {
			pos += 2;
			SpanFilter right = parseAnd();
			or = or.or(right);
		}
		skipSpaces();
		expect('}');
		end();
		return or;
	}

	private SpanFilter parseAnd() {
		SpanFilter and = parseCondition();
		while (lookingAt("&&")) {
			pos += 2;
			and = and.and(parseCondition());
		}
		return and;
	}

	private SpanFilter parseCondition() {
		skipSpaces();
		if (peek() == '(') {
			throw new TraceQLException(pos + 1, "parentheses are not supported by vigil-telemetry's TraceQL subset");
		}
		int fieldStart = pos;
		String field = identifier();
		if (field.isEmpty()) {
			throw new TraceQLException(pos + 1, "expected a field (name, status, duration, kind, resource.x, span.x)");
		}
		skipSpaces();
		int opStart = pos;
		String op = operator();
		skipSpaces();
		int valueStart = pos;
		String value = value();
		return condition(field, fieldStart, op, opStart, value, valueStart);
	}

	/**
	 * A condition on one span, with what it implies for the trace: a span with attribute {@code k = v} puts that pair
	 * in its trace's digest, a span longer than d makes the trace's longest span longer than d, and so on.
	 */
	private SpanFilter condition(String field, int fieldStart, String op, int opStart, String value, int valueStart) {
		Predicate<StoredSpan> span = spanCondition(field, fieldStart, op, opStart, value, valueStart);
		Predicate<TraceDigest> trace = switch (field) {
			case "duration" -> {
				long nanos = durationNanos(value, valueStart);
				yield switch (op) {
					case ">" -> digest -> digest.maxDurationNanos() > nanos;
					case ">=", "=" -> digest -> digest.maxDurationNanos() >= nanos;
					default -> digest -> true;
				};
			}
			case "status" -> {
				int status = statusCode(value, valueStart);
				yield op.equals("=") ? digest -> digest.mayHaveStatus(status) : digest -> true;
			}
			case "name" -> op.equals("=") ? digest -> digest.mayContain(TraceDigest.NAME_KEY, value) : digest -> true;
			default -> {
				String key = field.startsWith("resource.") ? field.substring("resource.".length())
						: field.startsWith("span.") ? field.substring("span.".length())
								: field.startsWith(".") ? field.substring(1) : null;
				yield key != null && op.equals("=") ? digest -> digest.mayContain(key, value) : digest -> true;
			}
		};
		return new SpanFilter(span, trace);
	}

	private static int statusCode(String value, int valueStart) {
		return switch (value) {
			case "error" -> StoredSpan.STATUS_ERROR;
			case "ok" -> StoredSpan.STATUS_OK;
			case "unset" -> StoredSpan.STATUS_UNSET;
			default -> throw new TraceQLException(valueStart + 1, "status is error, ok or unset, not " + value);
		};
	}

	private Predicate<StoredSpan> spanCondition(String field, int fieldStart, String op, int opStart, String value,
			int valueStart) {
		switch (field) {
			case "duration" -> {
				long nanos = durationNanos(value, valueStart);
				return span -> compare(Long.compare(span.durationNanos(), nanos), op, opStart);
			}
			case "status" -> {
				int status = statusCode(value, valueStart);
				requireEquality(op, opStart, "status");
				return span -> (span.statusCode() == status) == op.equals("=");
			}
			case "kind" -> {
				Span.SpanKind kind;
				try {
					kind = Span.SpanKind.valueOf("SPAN_KIND_" + value.toUpperCase(Locale.ROOT));
				}
				catch (IllegalArgumentException ex) {
					throw new TraceQLException(valueStart + 1, "kind is server, client, producer, consumer or internal");
				}
				requireEquality(op, opStart, "kind");
				return span -> (span.kind() == kind) == op.equals("=");
			}
			case "name" -> {
				return stringCondition(span -> span.name(), op, opStart, value, valueStart);
			}
			default -> {
				if (field.startsWith("resource.")) {
					String key = field.substring("resource.".length());
					return stringCondition(span -> span.resourceAttributes().get(key), op, opStart, value, valueStart);
				}
				if (field.startsWith("span.")) {
					byte[] key = field.substring("span.".length()).getBytes(StandardCharsets.UTF_8);
					return stringCondition(span -> span.attribute(key), op, opStart, value, valueStart);
				}
				if (field.startsWith(".")) {
					String key = field.substring(1);
					byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
					return stringCondition(span -> span.attributeOrResource(utf8, key), op, opStart, value, valueStart);
				}
				throw new TraceQLException(fieldStart + 1, "unknown field " + field
						+ "; use name, status, duration, kind, resource.<attr>, span.<attr> or .<attr>");
			}
		}
	}

	private Predicate<StoredSpan> stringCondition(java.util.function.Function<StoredSpan, String> getter, String op,
			int opStart, String value, int valueStart) {
		switch (op) {
			case "=~", "!~" -> {
				Pattern pattern;
				try {
					pattern = Pattern.compile(value);
				}
				catch (PatternSyntaxException ex) {
					throw new TraceQLException(valueStart + 1, "invalid regular expression: " + ex.getMessage());
				}
				boolean positive = op.equals("=~");
				return span -> {
					String actual = getter.apply(span);
					return actual != null && pattern.matches(actual) == positive;
				};
			}
			case "=" -> {
				return span -> value.equals(getter.apply(span));
			}
			case "!=" -> {
				return span -> {
					String actual = getter.apply(span);
					return actual != null && !value.equals(actual);
				};
			}
			default -> {
				double number = number(value, valueStart);
				return span -> {
					String actual = getter.apply(span);
					if (actual == null) {
						return false;
					}
					try {
						return compare(Double.compare(Double.parseDouble(actual), number), op, opStart);
					}
					catch (NumberFormatException ex) {
						return false;
					}
				};
			}
		}
	}

	private static boolean compare(int comparison, String op, int opStart) {
		return switch (op) {
			case "=" -> comparison == 0;
			case "!=" -> comparison != 0;
			case ">" -> comparison > 0;
			case "<" -> comparison < 0;
			case ">=" -> comparison >= 0;
			case "<=" -> comparison <= 0;
			default -> throw new TraceQLException(opStart + 1, op + " does not apply to numbers and durations");
		};
	}

	private static void requireEquality(String op, int opStart, String field) {
		if (!op.equals("=") && !op.equals("!=")) {
			throw new TraceQLException(opStart + 1, field + " supports only = and !=");
		}
	}

	private String identifier() {
		int start = pos;
		while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || "._-".indexOf(text.charAt(pos)) >= 0)) {
			pos++;
		}
		return text.substring(start, pos);
	}

	private String operator() {
		for (String op : List.of("=~", "!~", "!=", ">=", "<=", "=", ">", "<")) {
			if (text.startsWith(op, pos)) {
				pos += op.length();
				return op;
			}
		}
		throw new TraceQLException(pos + 1, "expected an operator (= != > < >= <= =~ !~)"
				+ (pos < text.length() ? ", found \"" + text.charAt(pos) + "\"" : ""));
	}

	private String value() {
		if (pos < text.length() && text.charAt(pos) == '"') {
			StringBuilder value = new StringBuilder();
			pos++;
			while (pos < text.length() && text.charAt(pos) != '"') {
				char c = text.charAt(pos++);
				if (c == '\\' && pos < text.length()) {
					c = text.charAt(pos++);
				}
				value.append(c);
			}
			if (pos >= text.length()) {
				throw new TraceQLException(pos + 1, "unterminated string");
			}
			pos++;
			return value.toString();
		}
		int start = pos;
		while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
			pos++;
		}
		if (start == pos) {
			throw new TraceQLException(pos + 1, "expected a value");
		}
		return text.substring(start, pos);
	}

	static long durationNanos(String value, int column) {
		List<String> units = new ArrayList<>(List.of("ns", "us", "µs", "ms", "s", "m", "h"));
		for (String unit : units) {
			if (value.endsWith(unit) && value.length() > unit.length()) {
				String number = value.substring(0, value.length() - unit.length());
				if (!number.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
					continue;
				}
				double amount = Double.parseDouble(number);
				double factor = switch (unit) {
					case "ns" -> 1;
					case "us", "µs" -> 1e3;
					case "ms" -> 1e6;
					case "s" -> 1e9;
					case "m" -> 60e9;
					default -> 3600e9;
				};
				return (long) (amount * factor);
			}
		}
		throw new TraceQLException(column + 1, "duration \"" + value + "\" needs a unit: ns, us, ms, s, m or h");
	}

	private static double number(String value, int column) {
		try {
			return Double.parseDouble(value);
		}
		catch (NumberFormatException ex) {
			throw new TraceQLException(column + 1, "\"" + value + "\" is not a number");
		}
	}

	private boolean lookingAt(String token) {
		skipSpaces();
		return text.startsWith(token, pos);
	}

	private void expect(char c) {
		if (peek() != c) {
			throw new TraceQLException(pos + 1, "expected \"" + c + "\""
					+ (pos < text.length() ? ", found \"" + text.charAt(pos) + "\"" : " at the end"));
		}
		pos++;
	}

	private void end() {
		skipSpaces();
		if (pos < text.length()) {
			char next = text.charAt(pos);
			String what = next == '|' ? "pipelines (|) are" : (next == '>' || next == '<' || next == '~') ? "structural operators are"
					: "\"" + next + "\" is";
			throw new TraceQLException(pos + 1, what + " not supported by vigil-telemetry's TraceQL subset (one { } filter)");
		}
	}

	private char peek() {
		return pos < text.length() ? text.charAt(pos) : '\0';
	}

	private void skipSpaces() {
		while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
			pos++;
		}
	}

}
