package dev.vigil.telemetry.otlp;

import dev.vigil.telemetry.tsdb.Labels;

/** An exemplar as Prometheus exposes it: labels (usually {@code trace_id}, {@code span_id}), value, timestamp. */
public record Exemplar(Labels labels, double value, long timestampMillis) {
}
