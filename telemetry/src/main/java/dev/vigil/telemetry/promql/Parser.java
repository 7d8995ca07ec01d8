package dev.vigil.telemetry.promql;

import dev.vigil.telemetry.tsdb.DurationParser;
import dev.vigil.telemetry.tsdb.Labels;
import dev.vigil.telemetry.tsdb.Matcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Recursive-descent PromQL parser with operator-precedence climbing. Produces a type-checked {@link Expr}; errors are
 * {@link ParseException}s positioned like Prometheus's.
 */
final class Parser {

	private final String query;
	private final List<Token> tokens;
	private int i;

	private Parser(String query) {
		this.query = query;
		this.tokens = Lexer.lex(query);
	}

	/** Parses and type-checks a query. */
	static Expr parse(String query) {
		Parser p = new Parser(query);
		if (p.peek().kind() == Token.Kind.EOF) {
			throw p.error(0, "no expression found in input");
		}
		Expr e = p.expr(0);
		if (p.peek().kind() != Token.Kind.EOF) {
			throw p.unexpected(p.peek());
		}
		TypeChecker.check(e, query);
		return e;
	}

	private Token peek() {
		return tokens.get(i);
	}

	private Token peekAt(int k) {
		return tokens.get(Math.min(i + k, tokens.size() - 1));
	}

	private Token next() {
		return tokens.get(i++);
	}

	private ParseException error(int pos, String msg) {
		return new ParseException(query, pos, msg);
	}

	private ParseException unexpected(Token t) {
		if (t.kind() == Token.Kind.EOF) {
			return error(t.pos(), "unexpected end of input");
		}
		return error(t.pos(), "unexpected " + t.describe());
	}

	private ParseException unexpected(Token t, String context) {
		if (t.kind() == Token.Kind.EOF) {
			return error(t.pos(), "unexpected end of input " + context);
		}
		return error(t.pos(), "unexpected " + t.describe() + " " + context);
	}

	private Token expect(Token.Kind k, String context) {
		Token t = next();
		if (t.kind() != k) {
			throw unexpected(t, context);
		}
		return t;
	}

	private boolean isKeyword(Token t, String kw) {
		return t.kind() == Token.Kind.IDENTIFIER && t.text().equalsIgnoreCase(kw);
	}

	// ---- binary expressions

	private Expr expr(int minPrec) {
		Expr lhs = unary();
		while (true) {
			Token t = peek();
			BinaryOp op = BinaryOp.fromToken(t);
			if (op == null || op.precedence < minPrec) {
				return lhs;
			}
			next();
			boolean returnBool = false;
			if (isKeyword(peek(), "bool")) {
				next();
				if (!op.isComparison()) {
					throw error(t.pos(), "bool modifier can only be used on comparison operators");
				}
				returnBool = true;
			}
			List<String> matchLabels = null;
			boolean on = false;
			Expr.Card card = op.isSetOperator() ? Expr.Card.MANY_TO_MANY : Expr.Card.ONE_TO_ONE;
			List<String> include = List.of();
			boolean explicitMatching = false;
			if (isKeyword(peek(), "on") || isKeyword(peek(), "ignoring")) {
				on = isKeyword(next(), "on");
				matchLabels = labelList();
				explicitMatching = true;
				if (isKeyword(peek(), "group_left") || isKeyword(peek(), "group_right")) {
					Token g = next();
					if (op.isSetOperator()) {
						throw error(g.pos(), "no grouping allowed for \"" + op.text + "\" operation");
					}
					card = isKeyword(g, "group_left") ? Expr.Card.MANY_TO_ONE : Expr.Card.ONE_TO_MANY;
					if (peek().kind() == Token.Kind.LEFT_PAREN) {
						include = labelList();
					}
				}
			}
			int nextPrec = op.rightAssociative() ? op.precedence : op.precedence + 1;
			Expr rhs = expr(nextPrec);
			Expr.VectorMatching matching = null;
			if (lhs.type() != ValueType.SCALAR || rhs.type() != ValueType.SCALAR || explicitMatching) {
				matching = new Expr.VectorMatching(card, matchLabels == null ? List.of() : matchLabels, on, include);
			}
			lhs = new Expr.Binary(op, lhs, rhs, matching, returnBool, lhs.start(), rhs.end());
			if (explicitMatching || returnBool) {
				TypeChecker.checkBinaryModifiers((Expr.Binary) lhs, query, t.pos());
			}
		}
	}

	private Expr unary() {
		Token t = peek();
		if (t.kind() == Token.Kind.ADD || t.kind() == Token.Kind.SUB) {
			next();
			Expr e = expr(BinaryOp.POW.precedence);
			if (e instanceof Expr.NumberLiteral n) {
				return new Expr.NumberLiteral(t.kind() == Token.Kind.SUB ? -n.value() : n.value(), t.pos(), n.end());
			}
			if (e.type() != ValueType.SCALAR && e.type() != ValueType.VECTOR) {
				throw error(t.pos(), "unary expression only allowed on expressions of type scalar or instant vector, got \""
						+ e.type().text + "\"");
			}
			return new Expr.Unary(t.kind() == Token.Kind.SUB, e, t.pos(), e.end());
		}
		return postfix(primary());
	}

	// ---- postfix: [range], [range:step], offset, @

	private Expr postfix(Expr e) {
		while (true) {
			Token t = peek();
			if (t.kind() == Token.Kind.LEFT_BRACKET) {
				e = rangeOrSubquery(e);
			}
			else if (isKeyword(t, "offset")) {
				next();
				boolean neg = false;
				if (peek().kind() == Token.Kind.SUB || peek().kind() == Token.Kind.ADD) {
					neg = next().kind() == Token.Kind.SUB;
				}
				Token d = next();
				long off = durationOf(d, "offset");
				e = withOffset(e, neg ? -off : off, t, d.end());
			}
			else if (t.kind() == Token.Kind.AT) {
				next();
				e = withAt(e, t);
			}
			else {
				return e;
			}
		}
	}

	private long durationOf(Token d, String what) {
		if (d.kind() == Token.Kind.DURATION) {
			return DurationParser.parseMillis(d.text());
		}
		if (d.kind() == Token.Kind.NUMBER) {
			double secs = parseNumber(d);
			return Math.round(secs * 1000);
		}
		throw unexpected(d, "in " + what);
	}

	private Expr withOffset(Expr e, long off, Token at, int end) {
		if (e instanceof Expr.VectorSelector vs) {
			if (vs.offset() != 0) {
				throw error(at.pos(), "offset may not be set multiple times");
			}
			return vs.withModifiers(off, vs.at(), vs.atMode(), end);
		}
		if (e instanceof Expr.MatrixSelector ms) {
			if (ms.selector().offset() != 0) {
				throw error(at.pos(), "offset may not be set multiple times");
			}
			return new Expr.MatrixSelector(ms.selector().withModifiers(off, ms.selector().at(), ms.selector().atMode(),
					ms.selector().end()), ms.range(), ms.start(), end);
		}
		if (e instanceof Expr.Subquery sq) {
			if (sq.offset() != 0) {
				throw error(at.pos(), "offset may not be set multiple times");
			}
			return new Expr.Subquery(sq.expr(), sq.range(), sq.step(), off, sq.at(), sq.atMode(), sq.start(), end);
		}
		throw error(at.pos(), "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery");
	}

	private Expr withAt(Expr e, Token atTok) {
		Long at = null;
		Expr.AtMode mode = Expr.AtMode.NONE;
		Token t = next();
		int end;
		if (t.kind() == Token.Kind.IDENTIFIER && (t.text().equals("start") || t.text().equals("end"))) {
			expect(Token.Kind.LEFT_PAREN, "in @");
			end = expect(Token.Kind.RIGHT_PAREN, "in @").end();
			mode = t.text().equals("start") ? Expr.AtMode.START : Expr.AtMode.END;
		}
		else {
			boolean neg = false;
			if (t.kind() == Token.Kind.SUB || t.kind() == Token.Kind.ADD) {
				neg = t.kind() == Token.Kind.SUB;
				t = next();
			}
			double secs;
			if (t.kind() == Token.Kind.NUMBER) {
				secs = parseNumber(t);
			}
			else if (t.kind() == Token.Kind.DURATION) {
				secs = DurationParser.parseMillis(t.text()) / 1000.0;
			}
			else {
				throw unexpected(t, "in @");
			}
			if (neg) {
				secs = -secs;
			}
			if (Double.isNaN(secs) || Double.isInfinite(secs)) {
				throw error(t.pos(), "timestamp out of bounds for @ modifier: " + Num.format(secs));
			}
			at = Math.round(secs * 1000);
			end = t.end();
		}
		if (e instanceof Expr.VectorSelector vs) {
			if (vs.at() != null || vs.atMode() != Expr.AtMode.NONE) {
				throw error(atTok.pos(), "@ <timestamp> may not be set multiple times");
			}
			return vs.withModifiers(vs.offset(), at, mode, end);
		}
		if (e instanceof Expr.MatrixSelector ms) {
			Expr.VectorSelector vs = ms.selector();
			if (vs.at() != null || vs.atMode() != Expr.AtMode.NONE) {
				throw error(atTok.pos(), "@ <timestamp> may not be set multiple times");
			}
			return new Expr.MatrixSelector(vs.withModifiers(vs.offset(), at, mode, vs.end()), ms.range(), ms.start(),
					end);
		}
		if (e instanceof Expr.Subquery sq) {
			if (sq.at() != null || sq.atMode() != Expr.AtMode.NONE) {
				throw error(atTok.pos(), "@ <timestamp> may not be set multiple times");
			}
			return new Expr.Subquery(sq.expr(), sq.range(), sq.step(), sq.offset(), at, mode, sq.start(), end);
		}
		throw error(atTok.pos(), "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery");
	}

	private Expr rangeOrSubquery(Expr e) {
		Token open = next();
		Token d = next();
		long range = rangeDuration(d);
		if (peek().kind() == Token.Kind.COLON) {
			next();
			long step = 0;
			if (peek().kind() != Token.Kind.RIGHT_BRACKET) {
				step = rangeDuration(next());
			}
			Token close = expect(Token.Kind.RIGHT_BRACKET, "in subquery selector");
			if (e.type() != ValueType.VECTOR && e.type() != ValueType.SCALAR) {
				throw error(e.start(), "subquery is only allowed on instant vector, got " + e.type().text
						+ " instead");
			}
			return new Expr.Subquery(e, range, step, 0, null, Expr.AtMode.NONE, e.start(), close.end());
		}
		Token close = expect(Token.Kind.RIGHT_BRACKET, "in range selector");
		if (!(e instanceof Expr.VectorSelector vs)) {
			throw error(open.pos(), "ranges only allowed for vector selectors");
		}
		if (vs.offset() != 0 || vs.at() != null || vs.atMode() != Expr.AtMode.NONE) {
			throw error(open.pos(), "no offset or @ modifiers allowed before range");
		}
		return new Expr.MatrixSelector(vs, range, vs.start(), close.end());
	}

	private long rangeDuration(Token d) {
		long ms;
		if (d.kind() == Token.Kind.DURATION) {
			ms = DurationParser.parseMillis(d.text());
		}
		else if (d.kind() == Token.Kind.NUMBER) {
			ms = Math.round(parseNumber(d) * 1000);
		}
		else {
			throw unexpected(d, "in range selector");
		}
		if (ms <= 0) {
			throw error(d.pos(), "duration must be greater than 0");
		}
		return ms;
	}

	// ---- primary expressions

	private Expr primary() {
		Token t = peek();
		switch (t.kind()) {
			case NUMBER -> {
				next();
				return new Expr.NumberLiteral(parseNumber(t), t.pos(), t.end());
			}
			case DURATION -> {
				next();
				return new Expr.NumberLiteral(DurationParser.parseMillis(t.text()) / 1000.0, t.pos(), t.end());
			}
			case STRING -> {
				next();
				return new Expr.StringLiteral(unquote(t), t.pos(), t.end());
			}
			case LEFT_PAREN -> {
				next();
				Expr inner = expr(0);
				Token close = expect(Token.Kind.RIGHT_PAREN, "in paren expression");
				return new Expr.Paren(inner, t.pos(), close.end());
			}
			case LEFT_BRACE -> {
				return selector(null, t.pos());
			}
			case IDENTIFIER, METRIC_IDENTIFIER -> {
				return identifierExpr();
			}
			default -> throw unexpected(t);
		}
	}

	private Expr identifierExpr() {
		Token t = next();
		String text = t.text();
		if (t.kind() == Token.Kind.IDENTIFIER) {
			String lower = text.toLowerCase(Locale.ROOT);
			if (lower.equals("inf") || lower.equals("nan")) {
				return new Expr.NumberLiteral(lower.equals("inf") ? Double.POSITIVE_INFINITY : Double.NaN, t.pos(),
						t.end());
			}
			Aggregation agg = Aggregation.byName(lower);
			if (agg != null && (peek().kind() == Token.Kind.LEFT_PAREN || isKeyword(peek(), "by")
					|| isKeyword(peek(), "without"))) {
				return aggregation(agg, t);
			}
			if (peek().kind() == Token.Kind.LEFT_PAREN) {
				Function f = Functions.get(text);
				if (f == null) {
					throw error(t.pos(), "unknown function with name \"" + text + "\"");
				}
				return call(f, t);
			}
		}
		return selector(text, t.pos());
	}

	private Expr call(Function f, Token nameTok) {
		next();
		List<Expr> args = arguments();
		Token close = expect(Token.Kind.RIGHT_PAREN, "in function call");
		Expr.Call c = new Expr.Call(f, args, nameTok.pos(), close.end());
		TypeChecker.checkCall(c, query);
		return c;
	}

	/** Comma-separated expressions up to (not including) the closing parenthesis; a trailing comma is allowed. */
	private List<Expr> arguments() {
		List<Expr> args = new ArrayList<>();
		while (peek().kind() != Token.Kind.RIGHT_PAREN) {
			args.add(expr(0));
			if (peek().kind() != Token.Kind.COMMA) {
				break;
			}
			next();
		}
		return args;
	}

	private Expr aggregation(Aggregation agg, Token nameTok) {
		List<String> grouping = List.of();
		boolean without = false;
		boolean groupingSeen = false;
		if (isKeyword(peek(), "by") || isKeyword(peek(), "without")) {
			without = isKeyword(next(), "without");
			grouping = labelList();
			groupingSeen = true;
		}
		expect(Token.Kind.LEFT_PAREN, "in aggregation");
		List<Expr> args = arguments();
		Token close = expect(Token.Kind.RIGHT_PAREN, "in aggregation");
		int end = close.end();
		if (isKeyword(peek(), "by") || isKeyword(peek(), "without")) {
			Token g = peek();
			if (groupingSeen) {
				throw unexpected(g);
			}
			without = isKeyword(next(), "without");
			grouping = labelList();
			end = tokens.get(i - 1).end();
		}
		Expr param = null;
		Expr body;
		if (agg.paramType != null) {
			if (args.size() != 2) {
				throw error(nameTok.pos(), "wrong number of arguments for aggregate expression provided, expected 2, got "
						+ args.size());
			}
			param = args.get(0);
			body = args.get(1);
		}
		else {
			if (args.size() != 1) {
				throw error(nameTok.pos(), "wrong number of arguments for aggregate expression provided, expected 1, got "
						+ args.size());
			}
			body = args.get(0);
		}
		Expr.Aggregate a = new Expr.Aggregate(agg, body, param, grouping, without, nameTok.pos(), end);
		TypeChecker.checkAggregate(a, query);
		return a;
	}

	private List<String> labelList() {
		expect(Token.Kind.LEFT_PAREN, "in grouping opts");
		List<String> out = new ArrayList<>();
		while (peek().kind() != Token.Kind.RIGHT_PAREN) {
			Token t = next();
			if (t.kind() == Token.Kind.IDENTIFIER) {
				out.add(t.text());
			}
			else if (t.kind() == Token.Kind.STRING) {
				out.add(unquote(t));
			}
			else {
				throw unexpected(t, "in grouping opts, expected label");
			}
			if (peek().kind() == Token.Kind.COMMA) {
				next();
			}
			else if (peek().kind() != Token.Kind.RIGHT_PAREN) {
				throw unexpected(peek(), "in grouping opts, expected \",\" or \")\"");
			}
		}
		next();
		return out;
	}

	private Expr selector(String name, int start) {
		List<Matcher> matchers = new ArrayList<>();
		int end = start + (name == null ? 0 : name.length());
		String metricName = name;
		if (peek().kind() == Token.Kind.LEFT_BRACE) {
			next();
			while (peek().kind() != Token.Kind.RIGHT_BRACE) {
				Token ln = next();
				String label;
				if (ln.kind() == Token.Kind.IDENTIFIER) {
					label = ln.text();
				}
				else if (ln.kind() == Token.Kind.STRING) {
					label = unquote(ln);
					Token.Kind k = peek().kind();
					if (k == Token.Kind.COMMA || k == Token.Kind.RIGHT_BRACE) {
						// a bare quoted string is the metric name ({"my.metric"})
						if (metricName != null) {
							throw error(ln.pos(), "metric name must not be set twice: \"" + metricName + "\" or \""
									+ label + "\"");
						}
						metricName = label;
						if (peek().kind() == Token.Kind.COMMA) {
							next();
						}
						continue;
					}
				}
				else {
					throw unexpected(ln, "in label matching, expected label");
				}
				Token op = next();
				Matcher.Type type = switch (op.kind()) {
					case ASSIGN -> Matcher.Type.EQUAL;
					case NEQ -> Matcher.Type.NOT_EQUAL;
					case EQL_REGEX -> Matcher.Type.REGEX;
					case NEQ_REGEX -> Matcher.Type.NOT_REGEX;
					default -> throw unexpected(op, "in label matching, expected one of \"=\", \"!=\", \"=~\", \"!~\"");
				};
				Token v = next();
				if (v.kind() != Token.Kind.STRING) {
					throw unexpected(v, "in label matching, expected string");
				}
				try {
					matchers.add(Matcher.of(type, label, unquote(v)));
				}
				catch (IllegalArgumentException e) {
					throw error(v.pos(), e.getMessage());
				}
				if (peek().kind() == Token.Kind.COMMA) {
					next();
				}
				else if (peek().kind() != Token.Kind.RIGHT_BRACE) {
					throw unexpected(peek(), "in label matching, expected \",\" or \"}\"");
				}
			}
			end = next().end();
		}
		if (metricName != null) {
			for (Matcher m : matchers) {
				if (m.name().equals(Labels.METRIC_NAME)) {
					throw error(start, "metric name must not be set twice: \"" + metricName + "\" or \"" + m.value()
							+ "\"");
				}
			}
			matchers.add(0, Matcher.equal(Labels.METRIC_NAME, metricName));
		}
		boolean nonEmpty = false;
		for (Matcher m : matchers) {
			if (!m.matchesEmpty()) {
				nonEmpty = true;
				break;
			}
		}
		if (!nonEmpty) {
			throw error(start, "vector selector must contain at least one non-empty matcher");
		}
		return new Expr.VectorSelector(metricName == null ? "" : metricName, List.copyOf(matchers), 0, null,
				Expr.AtMode.NONE, start, end);
	}

	// ---- literals

	private double parseNumber(Token t) {
		String s = t.text().replace("_", "");
		try {
			if (s.startsWith("0x") || s.startsWith("0X")) {
				return Long.parseLong(s.substring(2), 16);
			}
			return Double.parseDouble(s);
		}
		catch (NumberFormatException e) {
			throw error(t.pos(), "bad number or duration syntax: \"" + t.text() + "\"");
		}
	}

	private String unquote(Token t) {
		try {
			return unquote(t.text());
		}
		catch (IllegalArgumentException e) {
			throw error(t.pos(), e.getMessage());
		}
	}

	/**
	 * Go-style unquoting of "...", '...' and `...` strings. Escapes produce bytes that are decoded as UTF-8, so an
	 * invalid sequence such as "\\xff" becomes U+FFFD, which later fails label-name validation as in Prometheus.
	 */
	static String unquote(String s) {
		char q = s.charAt(0);
		String body = s.substring(1, s.length() - 1);
		if (q == '`') {
			return body;
		}
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		for (int k = 0; k < body.length(); k++) {
			char c = body.charAt(k);
			if (c != '\\') {
				int cp = body.codePointAt(k);
				if (Character.charCount(cp) == 2) {
					k++;
				}
				out.writeBytes(new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
				continue;
			}
			if (++k >= body.length()) {
				throw new IllegalArgumentException("invalid syntax");
			}
			char e = body.charAt(k);
			switch (e) {
				case 'a' -> out.write(7);
				case 'b' -> out.write('\b');
				case 'f' -> out.write('\f');
				case 'n' -> out.write('\n');
				case 'r' -> out.write('\r');
				case 't' -> out.write('\t');
				case 'v' -> out.write(11);
				case '\\' -> out.write('\\');
				case '\'' -> out.write('\'');
				case '"' -> out.write('"');
				case 'x' -> {
					out.write(Integer.parseInt(body.substring(k + 1, k + 3), 16));
					k += 2;
				}
				case 'u' -> {
					out.writeBytes(new String(Character.toChars(Integer.parseInt(body.substring(k + 1, k + 5), 16)))
						.getBytes(java.nio.charset.StandardCharsets.UTF_8));
					k += 4;
				}
				case 'U' -> {
					out.writeBytes(new String(Character.toChars(Integer.parseInt(body.substring(k + 1, k + 9), 16)))
						.getBytes(java.nio.charset.StandardCharsets.UTF_8));
					k += 8;
				}
				default -> {
					if (e >= '0' && e <= '7') {
						out.write(Integer.parseInt(body.substring(k, k + 3), 8));
						k += 2;
					}
					else {
						throw new IllegalArgumentException("invalid syntax");
					}
				}
			}
		}
		return out.toString(java.nio.charset.StandardCharsets.UTF_8);
	}

}
