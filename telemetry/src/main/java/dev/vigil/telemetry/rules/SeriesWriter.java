package dev.vigil.telemetry.rules;

import dev.vigil.telemetry.tsdb.Labels;

/** Where rule results go; {@code Storage::append} in production. */
@FunctionalInterface
public interface SeriesWriter {

	boolean append(Labels labels, long timestampMillis, double value);

}
