package dev.vigil.telemetry.logs;

/** A lexical token with its offset in the query (for error positions). */
record LogQLToken(Kind kind, String text, int offset) {

	enum Kind {
		IDENT, STRING, NUMBER, LBRACE, RBRACE, LPAREN, RPAREN, LBRACKET, RBRACKET, COMMA, EQ, EQEQ, NEQ, RE, NRE,
		PIPE_EXACT, PIPE_MATCH, PIPE, GT, GTE, LT, LTE, OTHER, EOF
	}

	String describe() {
		return switch (kind) {
			case EOF -> "end of query";
			case STRING -> "string " + text;
			default -> "\"" + text + "\"";
		};
	}

}
