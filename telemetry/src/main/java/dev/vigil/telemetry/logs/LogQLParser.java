package dev.vigil.telemetry.logs;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.vigil.telemetry.logs.LogQLExpr.Function;
import dev.vigil.telemetry.logs.LogQLExpr.LogSelector;
import dev.vigil.telemetry.logs.LogQLExpr.RangeAggregation;
import dev.vigil.telemetry.logs.LogQLExpr.VectorAggregation;
import dev.vigil.telemetry.logs.LogQLToken.Kind;
import dev.vigil.telemetry.traces.QueryParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Recursive-descent parser for vigil-telemetry's LogQL subset. Anything outside it fails with its position and a
 * message naming what is unsupported, rather than a generic syntax error, so users know to reach for real Loki.
 */
final class LogQLParser {

	private static final Set<String> UNSUPPORTED_AGGREGATIONS = Set.of("avg", "min", "max", "count", "topk", "bottomk",
			"stddev", "stdvar", "sort", "sort_desc", "approx_topk");

	private static final Set<String> UNSUPPORTED_RANGE_FUNCTIONS = Set.of("sum_over_time", "avg_over_time",
			"max_over_time", "min_over_time", "stdvar_over_time", "stddev_over_time", "quantile_over_time",
			"first_over_time", "last_over_time", "absent_over_time", "rate_counter");

	private static final Set<String> UNSUPPORTED_STAGES = Set.of("line_format", "label_format", "pattern", "regexp",
			"unpack", "unwrap", "drop", "keep", "decolorize", "distinct");

	private final String query;

	private final List<LogQLToken> tokens;

	private int pos;

	private LogQLParser(String query) {
		this.query = query;
		this.tokens = LogQLLexer.tokenize(query);
	}

	static LogQLExpr parse(String query) {
		if (query == null || query.isBlank()) {
			throw new LogQLException("parse error at line 1, col 1: the query is empty");
		}
		LogQLParser parser = new LogQLParser(query);
		LogQLExpr expr = parser.expr();
		LogQLToken next = parser.peek();
		if (next.kind() != Kind.EOF) {
			if (next.kind() == Kind.OTHER || next.kind() == Kind.GT || next.kind() == Kind.LT
					|| next.kind() == Kind.GTE || next.kind() == Kind.LTE || next.kind() == Kind.EQEQ
					|| next.kind() == Kind.NEQ && !(expr instanceof LogSelector)
					|| next.kind() == Kind.IDENT && Set.of("and", "or", "unless").contains(next.text())) {
				throw parser.unsupported(next, "binary operator " + next.describe());
			}
			throw parser.error(next, "unexpected " + next.describe() + " after the end of the query");
		}
		return expr;
	}

	/** Parses a stream selector alone, as the series and label-values APIs take it. */
	static LogSelector parseSelector(String query) {
		LogQLExpr expr = parse(query);
		if (!(expr instanceof LogSelector selector) || !selector.stages().isEmpty()) {
			throw new LogQLException("parse error at line 1, col 1: only a stream selector like {service_name=\"orders\"} "
					+ "is allowed here");
		}
		return selector;
	}

	private LogQLExpr expr() {
		LogQLToken token = peek();
		switch (token.kind()) {
			case LBRACE -> {
				return logSelector();
			}
			case LPAREN -> {
				next();
				LogQLExpr inner = expr();
				expect(Kind.RPAREN, "\")\"");
				return inner;
			}
			case IDENT -> {
				return metricExpr();
			}
			case NUMBER -> throw unsupported(token, "a number literal");
			case EOF -> throw error(token, "unexpected end of query; expected a stream selector like "
					+ "{service_name=\"orders\"} or a metric query like count_over_time({...}[5m])");
			default -> throw error(token, "unexpected " + token.describe()
					+ "; expected a stream selector like {service_name=\"orders\"}");
		}
	}

	private LogQLExpr metricExpr() {
		LogQLToken name = next();
		String fn = name.text();
		if (fn.equals("sum")) {
			Grouping grouping = null;
			if (peekGrouping()) {
				grouping = grouping();
			}
			expect(Kind.LPAREN, "\"(\" after sum");
			LogQLExpr inner = innerMetric();
			expect(Kind.RPAREN, "\")\"");
			if (peekGrouping()) {
				if (grouping != null) {
					throw error(peek(), "sum has two by/without clauses");
				}
				grouping = grouping();
			}
			if (grouping == null) {
				grouping = new Grouping(false, List.of());
			}
			return new VectorAggregation(grouping.without, grouping.labels, inner);
		}
		Function function = Function.of(fn);
		if (function != null) {
			expect(Kind.LPAREN, "\"(\" after " + fn);
			RangeAggregation range = logRange(function);
			expect(Kind.RPAREN, "\")\"");
			if (peekGrouping()) {
				throw unsupported(peek(), "by/without directly on " + fn + " (wrap it in sum by (...))");
			}
			return range;
		}
		if (UNSUPPORTED_AGGREGATIONS.contains(fn)) {
			throw unsupported(name, "the aggregation " + fn);
		}
		if (UNSUPPORTED_RANGE_FUNCTIONS.contains(fn)) {
			throw unsupported(name, "the range function " + fn);
		}
		if (peek().kind() == Kind.LPAREN) {
			throw unsupported(name, "the function " + fn);
		}
		throw error(name, "unexpected " + name.describe()
				+ "; expected a stream selector like {service_name=\"orders\"} or a metric query");
	}

	private LogQLExpr innerMetric() {
		LogQLToken token = peek();
		if (token.kind() == Kind.LBRACE) {
			throw error(token, "a log query cannot be aggregated directly; use sum(count_over_time({...}[5m]))");
		}
		return expr();
	}

	private RangeAggregation logRange(Function function) {
		if (peek().kind() == Kind.LPAREN) {
			next();
			RangeAggregation inner = logRange(function);
			expect(Kind.RPAREN, "\")\"");
			return inner;
		}
		if (peek().kind() != Kind.LBRACE) {
			throw error(peek(), function.logql + " needs a log range like {service_name=\"orders\"}[5m]");
		}
		LogSelector selector = logSelector();
		if (peek().kind() != Kind.LBRACKET) {
			throw error(peek(), "expected a range like [5m] after the log query in " + function.logql);
		}
		next();
		LogQLToken duration = next();
		if (duration.kind() != Kind.NUMBER) {
			throw error(duration, "expected a duration like 5m in the range, not " + duration.describe());
		}
		long range;
		try {
			range = QueryParams.parseGoDuration(duration.text(), "range");
		}
		catch (IllegalArgumentException ex) {
			throw error(duration, ex.getMessage());
		}
		if (range <= 0) {
			throw error(duration, "the range must be positive");
		}
		expect(Kind.RBRACKET, "\"]\"");
		if (peek().kind() == Kind.IDENT && peek().text().equals("offset")) {
			throw unsupported(peek(), "offset");
		}
		// Loki also accepts the pipeline after the range: {app="x"}[5m] |= "error"
		List<Stage> stages = new ArrayList<>(selector.stages());
		stages.addAll(stages());
		return new RangeAggregation(function, new LogSelector(selector.matchers(), List.copyOf(stages)), range);
	}

	private LogSelector logSelector() {
		LogQLToken open = expect(Kind.LBRACE, "\"{\"");
		List<LabelMatcher> matchers = new ArrayList<>();
		while (peek().kind() != Kind.RBRACE) {
			matchers.add(matcher(true));
			if (peek().kind() == Kind.COMMA) {
				next();
			}
			else if (peek().kind() != Kind.RBRACE) {
				throw error(peek(), "expected \",\" or \"}\" in the stream selector, not " + peek().describe());
			}
		}
		next();
		if (matchers.stream().allMatch(m -> m.matches(""))) {
			throw error(open, "queries require at least one regexp or equality matcher that does not have an "
					+ "empty-compatible value. For instance, app=~\".*\" does not meet this requirement, but "
					+ "app=~\".+\" will");
		}
		return new LogSelector(List.copyOf(matchers), stages());
	}

	private LabelMatcher matcher(boolean selector) {
		LogQLToken name = next();
		if (name.kind() != Kind.IDENT) {
			throw error(name, "expected a label name, not " + name.describe());
		}
		checkLabelName(name);
		LogQLToken op = next();
		LabelMatcher.Op matchOp = switch (op.kind()) {
			case EQ -> LabelMatcher.Op.EQ;
			case NEQ -> LabelMatcher.Op.NEQ;
			case RE -> LabelMatcher.Op.RE;
			case NRE -> LabelMatcher.Op.NRE;
			default -> throw error(op, "expected one of = != =~ !~ after " + name.text() + ", not " + op.describe());
		};
		LogQLToken value = next();
		if (value.kind() != Kind.STRING) {
			throw error(value, "expected a quoted string after " + name.text() + op.text() + ", not " + value.describe()
					+ (selector ? "" : " (numbers compare with ==, >, >=, <, <=)"));
		}
		Pattern pattern = null;
		if (matchOp == LabelMatcher.Op.RE || matchOp == LabelMatcher.Op.NRE) {
			pattern = regex(value, true);
		}
		return new LabelMatcher(name.text(), matchOp, value.text(), pattern);
	}

	private void checkLabelName(LogQLToken name) {
		if (name.text().contains(".")) {
			throw error(name, "invalid label name \"" + name.text() + "\": use letters, digits and _ only "
					+ "(OTLP attribute names are stored with _ for ., e.g. " + name.text().replace('.', '_') + ")");
		}
	}

	private Pattern regex(LogQLToken value, boolean anchored) {
		try {
			return anchored ? LabelPredicate.anchored(value.text()) : Pattern.compile(value.text());
		}
		catch (PatternSyntaxException ex) {
			throw error(value, "invalid regular expression " + value.text() + ": " + ex.getDescription()
					+ " (RE2 syntax; lookarounds and backreferences are not available)");
		}
	}

	private List<Stage> stages() {
		List<Stage> stages = new ArrayList<>();
		while (true) {
			LogQLToken token = peek();
			switch (token.kind()) {
				case PIPE_EXACT, NEQ, PIPE_MATCH, NRE -> stages.add(lineFilter());
				case PIPE -> {
					next();
					stages.add(pipeStage());
				}
				default -> {
					return stages;
				}
			}
		}
	}

	private Stage lineFilter() {
		LogQLToken op = next();
		Stage.LineFilter.Op filterOp = switch (op.kind()) {
			case PIPE_EXACT -> Stage.LineFilter.Op.CONTAINS;
			case NEQ -> Stage.LineFilter.Op.NOT_CONTAINS;
			case PIPE_MATCH -> Stage.LineFilter.Op.MATCH;
			default -> Stage.LineFilter.Op.NOT_MATCH;
		};
		LogQLToken value = next();
		if (value.kind() == Kind.IDENT && value.text().equals("ip")) {
			throw unsupported(value, "the ip() line filter");
		}
		if (value.kind() != Kind.STRING) {
			throw error(value, "expected a quoted string after " + op.text() + ", not " + value.describe());
		}
		if (peek().kind() == Kind.IDENT && peek().text().equals("or")) {
			throw unsupported(peek(), "\"or\" between line filter strings (chain filters instead)");
		}
		Pattern pattern = filterOp == Stage.LineFilter.Op.MATCH || filterOp == Stage.LineFilter.Op.NOT_MATCH
				? regex(value, false) : null;
		return Stage.LineFilter.of(filterOp, value.text(), pattern);
	}

	private Stage pipeStage() {
		LogQLToken token = peek();
		if (token.kind() == Kind.IDENT) {
			String word = token.text();
			if ((word.equals("json") || word.equals("logfmt")) && peekAt(1).kind() != Kind.EQ
					&& peekAt(1).kind() != Kind.NEQ && peekAt(1).kind() != Kind.RE && peekAt(1).kind() != Kind.NRE
					&& peekAt(1).kind() != Kind.EQEQ && !isCompare(peekAt(1).kind())) {
				next();
				if (peek().kind() == Kind.IDENT && !Set.of("and", "or").contains(peek().text())) {
					throw unsupported(peek(), "parameters of | " + word);
				}
				if (peek().kind() == Kind.OTHER && peek().text().equals("-")) {
					throw unsupported(peek(), "flags of | " + word);
				}
				return new Stage.Parser(word.equals("json") ? Stage.Parser.Kind.JSON : Stage.Parser.Kind.LOGFMT);
			}
			if (UNSUPPORTED_STAGES.contains(word)) {
				throw unsupported(token, "| " + word);
			}
		}
		if (token.kind() != Kind.IDENT && token.kind() != Kind.LPAREN) {
			throw error(token, "expected json, logfmt or a label filter after \"|\", not " + token.describe());
		}
		return new Stage.LabelFilter(labelOr());
	}

	private LabelPredicate labelOr() {
		LabelPredicate left = labelAnd();
		while (peek().kind() == Kind.IDENT && peek().text().equals("or")) {
			next();
			left = new LabelPredicate.Or(left, labelAnd());
		}
		return left;
	}

	private LabelPredicate labelAnd() {
		LabelPredicate left = labelPrimary();
		while ((peek().kind() == Kind.IDENT && peek().text().equals("and")) || peek().kind() == Kind.COMMA) {
			next();
			left = new LabelPredicate.And(left, labelPrimary());
		}
		return left;
	}

	private LabelPredicate labelPrimary() {
		if (peek().kind() == Kind.LPAREN) {
			next();
			LabelPredicate inner = labelOr();
			expect(Kind.RPAREN, "\")\"");
			return inner;
		}
		LogQLToken name = peek();
		if (name.kind() != Kind.IDENT) {
			throw error(name, "expected a label name, not " + name.describe());
		}
		LogQLToken op = peekAt(1);
		LogQLToken value = peekAt(2);
		if (value.kind() == Kind.IDENT && value.text().equals("ip")) {
			throw unsupported(value, "the ip() label filter");
		}
		boolean numeric = value.kind() == Kind.NUMBER
				&& (op.kind() == Kind.EQ || op.kind() == Kind.EQEQ || op.kind() == Kind.NEQ || isCompare(op.kind()));
		if (!numeric) {
			if (isCompare(op.kind()) || op.kind() == Kind.EQEQ) {
				next();
				next();
				throw error(value, op.text() + " compares numbers, durations (10s) or byte sizes (20KB), not "
						+ value.describe());
			}
			return new LabelPredicate.StringMatch(matcher(false));
		}
		next();
		checkLabelName(name);
		next();
		next();
		LabelPredicate.Compare compare = switch (op.kind()) {
			case EQ, EQEQ -> LabelPredicate.Compare.EQ;
			case NEQ -> LabelPredicate.Compare.NEQ;
			case GT -> LabelPredicate.Compare.GT;
			case GTE -> LabelPredicate.Compare.GTE;
			case LT -> LabelPredicate.Compare.LT;
			default -> LabelPredicate.Compare.LTE;
		};
		String text = value.text();
		try {
			return new LabelPredicate.Numeric(name.text(), compare, LabelPredicate.Unit.NUMBER, Double.parseDouble(text));
		}
		catch (NumberFormatException notNumber) {
			// a duration or a byte size
		}
		try {
			return new LabelPredicate.Numeric(name.text(), compare, LabelPredicate.Unit.DURATION,
					QueryParams.parseGoDuration(text, name.text()));
		}
		catch (IllegalArgumentException notDuration) {
			// a byte size?
		}
		try {
			return new LabelPredicate.Numeric(name.text(), compare, LabelPredicate.Unit.BYTES,
					LabelPredicate.parseBytes(text));
		}
		catch (IllegalArgumentException notBytes) {
			throw error(value, "\"" + text + "\" is not a number, a duration (10s) or a byte size (20KB)");
		}
	}

	private static boolean isCompare(Kind kind) {
		return kind == Kind.GT || kind == Kind.GTE || kind == Kind.LT || kind == Kind.LTE;
	}

	private record Grouping(boolean without, List<String> labels) {

	}

	private boolean peekGrouping() {
		return peek().kind() == Kind.IDENT && (peek().text().equals("by") || peek().text().equals("without"));
	}

	private Grouping grouping() {
		boolean without = next().text().equals("without");
		expect(Kind.LPAREN, "\"(\" after " + (without ? "without" : "by"));
		List<String> labels = new ArrayList<>();
		while (peek().kind() != Kind.RPAREN) {
			LogQLToken label = next();
			if (label.kind() != Kind.IDENT) {
				throw error(label, "expected a label name, not " + label.describe());
			}
			checkLabelName(label);
			labels.add(label.text());
			if (peek().kind() == Kind.COMMA) {
				next();
			}
			else if (peek().kind() != Kind.RPAREN) {
				throw error(peek(), "expected \",\" or \")\" in the label list, not " + peek().describe());
			}
		}
		next();
		return new Grouping(without, List.copyOf(labels));
	}

	private LogQLToken peek() {
		return tokens.get(pos);
	}

	private LogQLToken peekAt(int ahead) {
		return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
	}

	private LogQLToken next() {
		LogQLToken token = tokens.get(pos);
		if (token.kind() != Kind.EOF) {
			pos++;
		}
		return token;
	}

	private LogQLToken expect(Kind kind, String what) {
		LogQLToken token = next();
		if (token.kind() != kind) {
			throw error(token, "expected " + what + ", not " + token.describe());
		}
		return token;
	}

	private LogQLException error(LogQLToken token, String message) {
		return LogQLException.at(query, token.offset(), message);
	}

	private LogQLException unsupported(LogQLToken token, String what) {
		return LogQLException.unsupported(query, token.offset(), what);
	}

}
