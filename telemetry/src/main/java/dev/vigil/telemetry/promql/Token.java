package dev.vigil.telemetry.promql;

/** A lexical token with its start offset in the query. */
record Token(Kind kind, String text, int pos) {

	enum Kind {
		IDENTIFIER, METRIC_IDENTIFIER, NUMBER, DURATION, STRING, LEFT_PAREN, RIGHT_PAREN, LEFT_BRACE, RIGHT_BRACE,
		LEFT_BRACKET, RIGHT_BRACKET, COMMA, COLON, AT, ASSIGN, EQL, NEQ, EQL_REGEX, NEQ_REGEX, LSS, LTE, GTR, GTE, ADD,
		SUB, MUL, DIV, MOD, POW, EOF
	}

	int end() {
		return pos + text.length();
	}

	String describe() {
		return switch (kind) {
			case EOF -> "end of input";
			case IDENTIFIER, METRIC_IDENTIFIER -> "identifier \"" + text + "\"";
			case NUMBER -> "number \"" + text + "\"";
			case DURATION -> "duration \"" + text + "\"";
			case STRING -> "string " + text;
			default -> "\"" + text + "\"";
		};
	}

}
