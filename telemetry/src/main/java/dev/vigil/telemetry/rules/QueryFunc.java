package dev.vigil.telemetry.rules;

import java.util.List;

/**
 * Evaluates an instant query, as Prometheus's {@code rules.QueryFunc}: a scalar result becomes one sample with no
 * labels; errors are thrown as runtime exceptions and recorded as the rule's health.
 */
@FunctionalInterface
public interface QueryFunc {

	List<Sample> query(String expr, long timeMillis);

}
