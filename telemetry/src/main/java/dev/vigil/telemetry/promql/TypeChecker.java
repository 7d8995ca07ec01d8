package dev.vigil.telemetry.promql;

/** Static type checks done by the Prometheus parser, with the same messages. */
final class TypeChecker {

	private TypeChecker() {
	}

	static void check(Expr e, String q) {
		if (e instanceof Expr.Binary b) {
			check(b.lhs(), q);
			check(b.rhs(), q);
			checkBinary(b, q);
		}
		else if (e instanceof Expr.Unary u) {
			check(u.expr(), q);
		}
		else if (e instanceof Expr.Paren p) {
			check(p.expr(), q);
		}
		else if (e instanceof Expr.Call c) {
			for (Expr a : c.args()) {
				check(a, q);
			}
		}
		else if (e instanceof Expr.Aggregate a) {
			check(a.expr(), q);
			if (a.param() != null) {
				check(a.param(), q);
			}
		}
		else if (e instanceof Expr.Subquery s) {
			check(s.expr(), q);
		}
	}

	static void checkBinaryModifiers(Expr.Binary b, String q, int opPos) {
		// checked in checkBinary once the whole tree is built
	}

	private static ParseException error(String q, Expr at, String msg) {
		return new ParseException(q, at.start(), msg);
	}

	private static void checkBinary(Expr.Binary b, String q) {
		ValueType l = b.lhs().type();
		ValueType r = b.rhs().type();
		if ((l != ValueType.SCALAR && l != ValueType.VECTOR) || (r != ValueType.SCALAR && r != ValueType.VECTOR)) {
			throw error(q, b, "binary expression must contain only scalar and instant vector types");
		}
		if (b.op().isComparison() && !b.returnBool() && l == ValueType.SCALAR && r == ValueType.SCALAR) {
			throw error(q, b, "comparisons between scalars must use BOOL modifier");
		}
		if (b.op().isSetOperator() && (l == ValueType.SCALAR || r == ValueType.SCALAR)) {
			throw error(q, b, "set operator \"" + b.op().text + "\" not allowed in binary scalar expression");
		}
		Expr.VectorMatching m = b.matching();
		if (m != null && (l != ValueType.VECTOR || r != ValueType.VECTOR)) {
			if (m.on() || !m.labels().isEmpty() || m.card() == Expr.Card.MANY_TO_ONE
					|| m.card() == Expr.Card.ONE_TO_MANY) {
				throw error(q, b, "vector matching only allowed between instant vectors");
			}
		}
		if (m != null && m.on()) {
			for (String inc : m.include()) {
				if (m.labels().contains(inc)) {
					throw error(q, b, "label \"" + inc + "\" must not occur in ON and GROUP clause at once");
				}
			}
		}
	}

	static void checkCall(Expr.Call c, String q) {
		Function f = c.function();
		int n = c.args().size();
		int listed = f.argTypes().size();
		if (f.variadic() == 0) {
			if (n != listed) {
				throw error(q, c, "expected " + listed + " argument(s) in call to \"" + f.name() + "\", got " + n);
			}
		}
		else {
			int min = listed - 1;
			if (n < min) {
				throw error(q, c, "expected at least " + min + " argument(s) in call to \"" + f.name() + "\", got " + n);
			}
			if (f.variadic() > 0 && n > min + f.variadic()) {
				throw error(q, c, "expected at most " + (min + f.variadic()) + " argument(s) in call to \"" + f.name()
						+ "\", got " + n);
			}
		}
		for (int k = 0; k < n; k++) {
			ValueType want = f.argTypes().get(Math.min(k, listed - 1));
			Expr a = c.args().get(k);
			ValueType got = a.type();
			if (want != got) {
				throw error(q, a, "expected type " + want.text + " in call to function \"" + f.name() + "\", got "
						+ got.text);
			}
		}
	}

	static void checkAggregate(Expr.Aggregate a, String q) {
		if (a.expr().type() != ValueType.VECTOR) {
			throw error(q, a.expr(), "expected type instant vector in aggregation expression, got " + a.expr().type().text);
		}
		if (a.op().paramType != null && a.param().type() != a.op().paramType) {
			throw error(q, a.param(), "expected type " + a.op().paramType.text + " in aggregation parameter, got "
					+ a.param().type().text);
		}
	}

}
