package dev.vigil.telemetry.receiver;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.util.List;

/** Receives validated spans; the span store implements it. Must not block for long: it runs on the ingest path. */
@FunctionalInterface
public interface TraceSink {

	TraceSink DISCARD = spans -> {
	};

	void accept(List<ResourceSpans> spans);

}
