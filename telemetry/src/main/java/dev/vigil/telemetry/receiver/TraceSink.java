package dev.vigil.telemetry.receiver;

import dev.vigil.telemetry.traces.SpanBatch;

/** Receives decoded spans; the span store implements it. Must not block for long: it runs on the ingest path. */
@FunctionalInterface
public interface TraceSink {

	TraceSink DISCARD = spans -> {
	};

	void accept(SpanBatch spans);

}
