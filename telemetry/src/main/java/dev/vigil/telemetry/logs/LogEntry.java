package dev.vigil.telemetry.logs;

import java.util.Map;

/**
 * A stored log record as queries return it.
 *
 * @param timeNanos record time (unix nanoseconds)
 * @param labels stream (index) labels
 * @param metadata structured metadata: other resource and record attributes, trace_id, span_id, severity_text,
 * severity_number
 * @param line the body
 * @param traceId lower-case hex, "" if none
 * @param spanId lower-case hex, "" if none
 * @param severityNumber OTLP severity number, 0 if unset
 */
public record LogEntry(long timeNanos, Map<String, String> labels, Map<String, String> metadata, String line,
		String traceId, String spanId, int severityNumber) {

}
