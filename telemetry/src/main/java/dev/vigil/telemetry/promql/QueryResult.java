package dev.vigil.telemetry.promql;

import java.util.List;

/**
 * The outcome of a successful query: the value plus annotations, rendered as Prometheus does
 * ({@code "PromQL warning: ... (1:5)"}).
 */
public record QueryResult(Value value, List<String> warnings, List<String> infos) {
}
