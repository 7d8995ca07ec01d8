package dev.vigil.telemetry.promql;

import dev.vigil.telemetry.tsdb.Matcher;

import java.util.List;

/** The PromQL abstract syntax tree. Positions are character offsets into the query. */
sealed interface Expr {

	ValueType type();

	int start();

	int end();

	/** A number literal. */
	record NumberLiteral(double value, int start, int end) implements Expr {

		public ValueType type() {
			return ValueType.SCALAR;
		}

	}

	/** A string literal. */
	record StringLiteral(String value, int start, int end) implements Expr {

		public ValueType type() {
			return ValueType.STRING;
		}

	}

	/**
	 * An instant vector selector. {@code at} is a fixed timestamp in ms (or null); {@code atMode} marks
	 * {@code @ start()} / {@code @ end()}, resolved at evaluation.
	 */
	record VectorSelector(String name, List<Matcher> matchers, long offset, Long at, AtMode atMode, int start,
			int end) implements Expr {

		public ValueType type() {
			return ValueType.VECTOR;
		}

		VectorSelector withModifiers(long offset, Long at, AtMode atMode, int end) {
			return new VectorSelector(name, matchers, offset, at, atMode, start, end);
		}

	}

	/** A range vector selector: a vector selector with a range. */
	record MatrixSelector(VectorSelector selector, long range, int start, int end) implements Expr {

		public ValueType type() {
			return ValueType.MATRIX;
		}

	}

	/** {@code expr[range:step]} with optional offset and @. A step of 0 means the evaluation's default interval. */
	record Subquery(Expr expr, long range, long step, long offset, Long at, AtMode atMode, int start, int end)
			implements Expr {

		public ValueType type() {
			return ValueType.MATRIX;
		}

	}

	/** A function call. */
	record Call(Function function, List<Expr> args, int start, int end) implements Expr {

		public ValueType type() {
			return function.returnType();
		}

	}

	/** An aggregation such as {@code sum by (job) (x)}; {@code param} is set for topk, quantile, count_values... */
	record Aggregate(Aggregation op, Expr expr, Expr param, List<String> grouping, boolean without, int start,
			int end) implements Expr {

		public ValueType type() {
			return ValueType.VECTOR;
		}

	}

	/** A binary operation. {@code matching} is null between scalars. */
	record Binary(BinaryOp op, Expr lhs, Expr rhs, VectorMatching matching, boolean returnBool, int start,
			int end) implements Expr {

		public ValueType type() {
			return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR ? ValueType.SCALAR
					: ValueType.VECTOR;
		}

	}

	/** Unary minus or plus. */
	record Unary(boolean negate, Expr expr, int start, int end) implements Expr {

		public ValueType type() {
			return expr.type();
		}

	}

	/** Parentheses, kept for positions and printing. */
	record Paren(Expr expr, int start, int end) implements Expr {

		public ValueType type() {
			return expr.type();
		}

	}

	/** {@code @ start()} and {@code @ end()}. */
	enum AtMode { NONE, START, END }

	/** Cardinality of vector matching. */
	enum Card { ONE_TO_ONE, MANY_TO_ONE, ONE_TO_MANY, MANY_TO_MANY }

	/** Vector matching of a binary operation between vectors. */
	record VectorMatching(Card card, List<String> labels, boolean on, List<String> include) {
	}

}
