package dev.vigil.telemetry.rules;

/** Checks that a PromQL expression parses, for load-time validation. */
@FunctionalInterface
public interface ExprChecker {

	ExprChecker NONE = expr -> null;

	/** @return an error message, or null when the expression is valid */
	String check(String expr);

}
