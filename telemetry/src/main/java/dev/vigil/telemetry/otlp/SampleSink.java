package dev.vigil.telemetry.otlp;

import dev.vigil.telemetry.tsdb.Labels;

/** Where translated samples go; {@code Storage::append} in production. */
@FunctionalInterface
public interface SampleSink {

	/** @return whether the sample was stored */
	boolean append(Labels labels, long timestampMillis, double value);

}
