package dev.vigil.telemetry.receiver;

import io.opentelemetry.proto.logs.v1.ResourceLogs;
import java.util.List;

/** Receives validated log records; the log store implements it. Must not block for long: it runs on the ingest path. */
@FunctionalInterface
public interface LogSink {

	LogSink DISCARD = logs -> {
	};

	void accept(List<ResourceLogs> logs);

}
