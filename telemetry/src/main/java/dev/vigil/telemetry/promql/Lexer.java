package dev.vigil.telemetry.promql;

import java.util.ArrayList;
import java.util.List;

/** Splits a query into tokens. Comments ({@code # ...}) and whitespace are skipped. */
final class Lexer {

	private final String in;
	private int pos;
	private final List<Token> out = new ArrayList<>();

	private Lexer(String in) {
		this.in = in;
	}

	static List<Token> lex(String query) {
		Lexer l = new Lexer(query);
		l.run();
		return l.out;
	}

	private ParseException error(int at, String msg) {
		return new ParseException(in, at, msg);
	}

	private void emit(Token.Kind k, int start) {
		out.add(new Token(k, in.substring(start, pos), start));
	}

	private void run() {
		int braceDepth = 0;
		int parenDepth = 0;
		int bracketDepth = 0;
		while (pos < in.length()) {
			char c = in.charAt(pos);
			int start = pos;
			if (Character.isWhitespace(c)) {
				pos++;
				continue;
			}
			if (c == '#') {
				while (pos < in.length() && in.charAt(pos) != '\n') {
					pos++;
				}
				continue;
			}
			switch (c) {
				case '(' -> {
					parenDepth++;
					single(Token.Kind.LEFT_PAREN);
				}
				case ')' -> {
					if (--parenDepth < 0) {
						throw error(start, "unexpected right parenthesis ')'");
					}
					single(Token.Kind.RIGHT_PAREN);
				}
				case '{' -> {
					braceDepth++;
					single(Token.Kind.LEFT_BRACE);
				}
				case '}' -> {
					if (--braceDepth < 0) {
						throw error(start, "unexpected right brace '}'");
					}
					single(Token.Kind.RIGHT_BRACE);
				}
				case '[' -> {
					bracketDepth++;
					single(Token.Kind.LEFT_BRACKET);
				}
				case ']' -> {
					if (--bracketDepth < 0) {
						throw error(start, "unexpected right bracket ']'");
					}
					single(Token.Kind.RIGHT_BRACKET);
				}
				case ',' -> single(Token.Kind.COMMA);
				case ':' -> single(Token.Kind.COLON);
				case '@' -> single(Token.Kind.AT);
				case '+' -> single(Token.Kind.ADD);
				case '-' -> single(Token.Kind.SUB);
				case '*' -> single(Token.Kind.MUL);
				case '/' -> single(Token.Kind.DIV);
				case '%' -> single(Token.Kind.MOD);
				case '^' -> single(Token.Kind.POW);
				case '=' -> {
					pos++;
					if (peek('=')) {
						pos++;
						emit(Token.Kind.EQL, start);
					}
					else if (peek('~')) {
						pos++;
						emit(Token.Kind.EQL_REGEX, start);
					}
					else {
						emit(Token.Kind.ASSIGN, start);
					}
				}
				case '!' -> {
					pos++;
					if (peek('=')) {
						pos++;
						emit(Token.Kind.NEQ, start);
					}
					else if (peek('~')) {
						pos++;
						emit(Token.Kind.NEQ_REGEX, start);
					}
					else {
						throw error(start, "unexpected character after '!': " + quoteChar(pos));
					}
				}
				case '<' -> {
					pos++;
					if (peek('=')) {
						pos++;
						emit(Token.Kind.LTE, start);
					}
					else {
						emit(Token.Kind.LSS, start);
					}
				}
				case '>' -> {
					pos++;
					if (peek('=')) {
						pos++;
						emit(Token.Kind.GTE, start);
					}
					else {
						emit(Token.Kind.GTR, start);
					}
				}
				case '"', '\'', '`' -> string(c);
				default -> {
					if (Character.isDigit(c) || (c == '.' && pos + 1 < in.length() && Character.isDigit(in.charAt(pos + 1)))) {
						number();
					}
					else if (isAlpha(c) || c == ':') {
						identifier();
					}
					else {
						throw error(start, "unexpected character: " + quoteChar(pos));
					}
				}
			}
		}
		if (braceDepth > 0) {
			throw error(in.length(), "unexpected end of input inside braces");
		}
		if (bracketDepth > 0) {
			throw error(in.length(), "unclosed left bracket");
		}
		if (parenDepth > 0) {
			throw error(in.length(), "unclosed left parenthesis");
		}
		out.add(new Token(Token.Kind.EOF, "", in.length()));
	}

	private String quoteChar(int at) {
		if (at >= in.length()) {
			return "end of input";
		}
		return "'" + in.charAt(at) + "'";
	}

	private boolean peek(char c) {
		return pos < in.length() && in.charAt(pos) == c;
	}

	private void single(Token.Kind k) {
		int start = pos++;
		emit(k, start);
	}

	static boolean isAlpha(char c) {
		return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
	}

	static boolean isAlnum(char c) {
		return isAlpha(c) || (c >= '0' && c <= '9');
	}

	private void identifier() {
		int start = pos;
		boolean colon = false;
		while (pos < in.length() && (isAlnum(in.charAt(pos)) || in.charAt(pos) == ':')) {
			if (in.charAt(pos) == ':') {
				colon = true;
			}
			pos++;
		}
		emit(colon ? Token.Kind.METRIC_IDENTIFIER : Token.Kind.IDENTIFIER, start);
	}

	private void string(char quote) {
		int start = pos++;
		while (true) {
			if (pos >= in.length()) {
				throw error(start, "unterminated quoted string");
			}
			char c = in.charAt(pos);
			if (c == '\\' && quote != '`') {
				pos += 2;
				continue;
			}
			if (c == '\n' && quote != '`') {
				throw error(start, "unterminated quoted string");
			}
			pos++;
			if (c == quote) {
				break;
			}
		}
		emit(Token.Kind.STRING, start);
	}

	private void number() {
		int start = pos;
		// a duration is digits followed by units, possibly repeated (1h30m); a number may be hex, decimal, exponent
		if (in.startsWith("0x", pos) || in.startsWith("0X", pos)) {
			pos += 2;
			while (pos < in.length() && Character.digit(in.charAt(pos), 16) >= 0) {
				pos++;
			}
			emit(Token.Kind.NUMBER, start);
			return;
		}
		int save = pos;
		if (scanDuration()) {
			emit(Token.Kind.DURATION, start);
			return;
		}
		pos = save;
		digits();
		if (peek('.')) {
			pos++;
			digits();
		}
		if (peek('e') || peek('E')) {
			int e = pos;
			pos++;
			if (peek('+') || peek('-')) {
				pos++;
			}
			if (pos < in.length() && Character.isDigit(in.charAt(pos))) {
				digits();
			}
			else {
				pos = e;
			}
		}
		if (pos < in.length() && (isAlnum(in.charAt(pos)) || in.charAt(pos) == '.')) {
			while (pos < in.length() && (isAlnum(in.charAt(pos)) || in.charAt(pos) == '.')) {
				pos++;
			}
			throw error(start, "bad number or duration syntax: \"" + in.substring(start, pos) + "\"");
		}
		emit(Token.Kind.NUMBER, start);
	}

	private void digits() {
		while (pos < in.length() && (Character.isDigit(in.charAt(pos)) || in.charAt(pos) == '_')) {
			pos++;
		}
	}

	private boolean scanDuration() {
		boolean any = false;
		while (pos < in.length() && Character.isDigit(in.charAt(pos))) {
			while (pos < in.length() && Character.isDigit(in.charAt(pos))) {
				pos++;
			}
			int u = pos;
			if (in.startsWith("ms", pos)) {
				pos += 2;
			}
			else if (pos < in.length() && "smhdwy".indexOf(in.charAt(pos)) >= 0) {
				pos++;
			}
			else {
				pos = u;
				return false;
			}
			any = true;
		}
		if (!any) {
			return false;
		}
		return pos >= in.length() || !isAlnum(in.charAt(pos));
	}

}
