package dev.vigil.telemetry.promql;

/** Binary operators with their precedence (higher binds tighter), as in the Prometheus grammar. */
enum BinaryOp {

	OR("or", 1), AND("and", 2), UNLESS("unless", 2), EQL("==", 3), NEQ("!=", 3), LSS("<", 3), LTE("<=", 3),
	GTR(">", 3), GTE(">=", 3), ADD("+", 4), SUB("-", 4), MUL("*", 5), DIV("/", 5), MOD("%", 5), ATAN2("atan2", 5),
	POW("^", 6);

	final String text;
	final int precedence;

	BinaryOp(String text, int precedence) {
		this.text = text;
		this.precedence = precedence;
	}

	boolean isComparison() {
		return precedence == 3;
	}

	boolean isSetOperator() {
		return this == OR || this == AND || this == UNLESS;
	}

	boolean rightAssociative() {
		return this == POW;
	}

	static BinaryOp fromToken(Token t) {
		return switch (t.kind()) {
			case ADD -> ADD;
			case SUB -> SUB;
			case MUL -> MUL;
			case DIV -> DIV;
			case MOD -> MOD;
			case POW -> POW;
			case EQL -> EQL;
			case NEQ -> NEQ;
			case LSS -> LSS;
			case LTE -> LTE;
			case GTR -> GTR;
			case GTE -> GTE;
			case IDENTIFIER -> switch (t.text().toLowerCase(java.util.Locale.ROOT)) {
				case "and" -> AND;
				case "or" -> OR;
				case "unless" -> UNLESS;
				case "atan2" -> ATAN2;
				default -> null;
			};
			default -> null;
		};
	}

	/** Applies an arithmetic or comparison operator; comparisons yield 1/0 here, filtering is the caller's job. */
	double apply(double l, double r) {
		return switch (this) {
			case ADD -> l + r;
			case SUB -> l - r;
			case MUL -> l * r;
			case DIV -> l / r;
			case MOD -> mod(l, r);
			case POW -> Math.pow(l, r);
			case ATAN2 -> Math.atan2(l, r);
			case EQL -> l == r ? 1 : 0;
			case NEQ -> l != r ? 1 : 0;
			case LSS -> l < r ? 1 : 0;
			case LTE -> l <= r ? 1 : 0;
			case GTR -> l > r ? 1 : 0;
			case GTE -> l >= r ? 1 : 0;
			default -> throw new IllegalStateException("not arithmetic: " + this);
		};
	}

	// Go's math.Mod: result has the sign of the dividend, like Java's %
	private static double mod(double l, double r) {
		return l % r;
	}

}
