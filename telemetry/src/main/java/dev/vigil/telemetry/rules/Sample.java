package dev.vigil.telemetry.rules;

import dev.vigil.telemetry.tsdb.Labels;

/** One element of an instant-vector result. */
public record Sample(Labels labels, double value) {
}
