package dev.vigil.telemetry.logs;

import dev.vigil.telemetry.promql.TextPosition;

/** A LogQL query that does not parse, is outside the supported subset, or cannot be evaluated within limits. */
final class LogQLException extends RuntimeException {

	LogQLException(String message) {
		super(message);
	}

	/** Loki's wording: "parse error at line 1, col 12: ...". */
	static LogQLException at(String query, int offset, String message) {
		TextPosition at = TextPosition.of(query, offset);
		return new LogQLException("parse error at line " + at.line() + ", col " + at.column() + ": " + message);
	}

	static LogQLException unsupported(String query, int offset, String what) {
		return at(query, offset, what + " is not supported by vigil-telemetry's LogQL subset (supported: stream "
				+ "selectors, line filters |= != |~ !~, | json, | logfmt, label filters, count_over_time, rate, "
				+ "bytes_over_time, bytes_rate, sum [by|without])");
	}

}
