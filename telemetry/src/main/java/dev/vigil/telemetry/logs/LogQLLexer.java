package dev.vigil.telemetry.logs;

import dev.vigil.telemetry.logs.LogQLToken.Kind;
import java.util.ArrayList;
import java.util.List;

/** Splits a LogQL query into tokens; strings are unquoted (Go escapes in "…", none in `…`). */
final class LogQLLexer {

	private LogQLLexer() {
	}

	static List<LogQLToken> tokenize(String query) {
		List<LogQLToken> tokens = new ArrayList<>();
		int i = 0;
		int n = query.length();
		while (i < n) {
			char c = query.charAt(i);
			if (Character.isWhitespace(c)) {
				i++;
				continue;
			}
			if (c == '#') { // comment to end of line, as in Loki
				while (i < n && query.charAt(i) != '\n') {
					i++;
				}
				continue;
			}
			int start = i;
			char next = i + 1 < n ? query.charAt(i + 1) : 0;
			if (c == '"' || c == '`') {
				i = string(query, i, tokens);
				continue;
			}
			if (Character.isLetter(c) || c == '_') {
				while (i < n && (Character.isLetterOrDigit(query.charAt(i)) || query.charAt(i) == '_'
						|| query.charAt(i) == '.')) {
					i++;
				}
				tokens.add(new LogQLToken(Kind.IDENT, query.substring(start, i), start));
				continue;
			}
			if (Character.isDigit(c) || (c == '-' && Character.isDigit(next)) || (c == '.' && Character.isDigit(next))) {
				// numbers, durations (1h30m) and byte sizes (20KB) share one token; the parser decides
				i++;
				while (i < n && (Character.isLetterOrDigit(query.charAt(i)) || query.charAt(i) == '.'
						|| query.charAt(i) == 'µ')) {
					i++;
				}
				tokens.add(new LogQLToken(Kind.NUMBER, query.substring(start, i), start));
				continue;
			}
			Kind kind;
			int length = 2;
			if (c == '|' && next == '=') {
				kind = Kind.PIPE_EXACT;
			}
			else if (c == '|' && next == '~') {
				kind = Kind.PIPE_MATCH;
			}
			else if (c == '!' && next == '=') {
				kind = Kind.NEQ;
			}
			else if (c == '!' && next == '~') {
				kind = Kind.NRE;
			}
			else if (c == '=' && next == '~') {
				kind = Kind.RE;
			}
			else if (c == '=' && next == '=') {
				kind = Kind.EQEQ;
			}
			else if (c == '>' && next == '=') {
				kind = Kind.GTE;
			}
			else if (c == '<' && next == '=') {
				kind = Kind.LTE;
			}
			else {
				length = 1;
				kind = switch (c) {
					case '{' -> Kind.LBRACE;
					case '}' -> Kind.RBRACE;
					case '(' -> Kind.LPAREN;
					case ')' -> Kind.RPAREN;
					case '[' -> Kind.LBRACKET;
					case ']' -> Kind.RBRACKET;
					case ',' -> Kind.COMMA;
					case '=' -> Kind.EQ;
					case '|' -> Kind.PIPE;
					case '>' -> Kind.GT;
					case '<' -> Kind.LT;
					default -> Kind.OTHER;
				};
			}
			tokens.add(new LogQLToken(kind, query.substring(start, start + length), start));
			i += length;
		}
		tokens.add(new LogQLToken(Kind.EOF, "", n));
		return tokens;
	}

	private static int string(String query, int start, List<LogQLToken> tokens) {
		char quote = query.charAt(start);
		StringBuilder value = new StringBuilder();
		int i = start + 1;
		while (i < query.length()) {
			char c = query.charAt(i);
			if (c == quote) {
				tokens.add(new LogQLToken(Kind.STRING, value.toString(), start));
				return i + 1;
			}
			if (c == '\\' && quote == '"') {
				if (i + 1 >= query.length()) {
					break;
				}
				char e = query.charAt(i + 1);
				switch (e) {
					case 'n' -> value.append('\n');
					case 't' -> value.append('\t');
					case 'r' -> value.append('\r');
					case '\\' -> value.append('\\');
					case '"' -> value.append('"');
					case '\'' -> value.append('\'');
					case 'u' -> {
						if (i + 6 > query.length()) {
							throw LogQLException.at(query, i, "invalid \\u escape in string");
						}
						try {
							value.append((char) Integer.parseInt(query.substring(i + 2, i + 6), 16));
						}
						catch (NumberFormatException ex) {
							throw LogQLException.at(query, i, "invalid \\u escape in string");
						}
						i += 4;
					}
					default -> throw LogQLException.at(query, i, "unknown escape sequence \\" + e
							+ " in string (write \\\\ for a backslash, or use a `backtick` string for regexes)");
				}
				i += 2;
				continue;
			}
			value.append(c);
			i++;
		}
		throw LogQLException.at(query, start, "unterminated string");
	}

}
