package dev.vigil.telemetry.otlp;

import dev.vigil.telemetry.tsdb.Labels;

/** Where translated samples go; a {@link StorageSink} in production. */
@FunctionalInterface
public interface SampleSink {

	/** @return whether the sample was stored */
	boolean append(Labels labels, long timestampMillis, double value);

	/**
	 * A handle for the series, which the translator caches next to the label set so that a series seen again is
	 * appended to without a lookup by labels; null when the sink has none.
	 */
	default Object seriesRef(Labels labels) {
		return null;
	}

	/** Appends through a handle from {@link #seriesRef} (or by labels when {@code ref} is null). */
	default boolean append(Object ref, Labels labels, long timestampMillis, double value) {
		return append(labels, timestampMillis, value);
	}

}
