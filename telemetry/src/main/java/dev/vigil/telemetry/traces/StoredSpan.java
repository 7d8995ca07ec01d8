package dev.vigil.telemetry.traces;

import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.Map;

/**
 * One span as stored: the searchable fields decoded once at ingest, the span itself kept as OTLP protobuf so that a
 * trace is returned exactly as it arrived. Resource and scope objects are shared by all spans of one export batch.
 *
 * @param attributes span attributes as strings (for search)
 * @param resourceAttributes resource attributes as strings (for search), shared per batch
 */
record StoredSpan(String traceId, String spanId, String parentSpanId, String service, String name, Span.SpanKind kind,
		long startNanos, long endNanos, int statusCode, Map<String, String> attributes,
		Map<String, String> resourceAttributes, Resource resource, InstrumentationScope scope, Span span) {

	static final int STATUS_UNSET = 0;

	static final int STATUS_OK = 1;

	static final int STATUS_ERROR = 2;

	long durationNanos() {
		return Math.max(0, endNanos - startNanos);
	}

	/** Bytes held, roughly: the serialized span plus the decoded strings; the shared resource is not counted. */
	long estimatedBytes() {
		long bytes = 96L + span.getSerializedSize();
		for (Map.Entry<String, String> entry : attributes.entrySet()) {
			bytes += 48 + 2L * (entry.getKey().length() + entry.getValue().length());
		}
		return bytes;
	}

}
