package dev.vigil.telemetry.traces;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.Map;

/**
 * One span as stored: the searchable fields decoded once at ingest, the span itself kept as its serialized OTLP
 * protobuf so that a trace is returned exactly as it arrived. Serialized, because a parsed span with ten attributes
 * holds some forty objects (about 1.5 KB); the bytes are a third of that and parsing the few spans of one trace
 * on read costs microseconds. Resource and scope objects are shared by all spans of one export batch; the trace id
 * string by all spans of a trace in one batch; attribute names and short values are interned.
 *
 * @param attributes span attributes as strings (for search)
 * @param resourceAttributes resource attributes as strings (for search), shared per batch
 * @param encoded the span, serialized
 */
record StoredSpan(String traceId, String spanId, String parentSpanId, String service, String name, Span.SpanKind kind,
		long startNanos, long endNanos, int statusCode, Map<String, String> attributes,
		Map<String, String> resourceAttributes, Resource resource, InstrumentationScope scope, byte[] encoded) {

	static final int STATUS_UNSET = 0;

	static final int STATUS_OK = 1;

	static final int STATUS_ERROR = 2;

	/** The span as it arrived. */
	Span span() {
		try {
			return Span.parseFrom(encoded);
		}
		catch (InvalidProtocolBufferException e) {
			throw new IllegalStateException("stored span cannot be parsed", e); // it was serialized by us
		}
	}

	long durationNanos() {
		return Math.max(0, endNanos - startNanos);
	}

	/**
	 * Bytes held, roughly: this record, the serialized span, the attribute array and (not knowing which strings are
	 * interned) the span and parent ids; the shared resource is not counted.
	 */
	long estimatedBytes() {
		long bytes = 88L + 16 + encoded.length + 2 * 56;
		if (attributes instanceof FlatAttributes flat) {
			bytes += flat.arrayBytes();
		}
		return bytes;
	}

}
