package dev.vigil.telemetry.traces;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.HexFormat;
import java.util.Map;

/** Test data: OTLP spans as the receiver hands them over. */
final class Spans {

	static final long T0 = 1_790_000_000_000_000_000L;

	private Spans() {
	}

	static ResourceSpans batch(String service, Span... spans) {
		return ResourceSpans.newBuilder()
			.setResource(Resource.newBuilder().addAttributes(kv("service.name", service)).addAttributes(kv("deployment.environment.name", "test")))
			.addScopeSpans(ScopeSpans.newBuilder().addAllSpans(java.util.List.of(spans)))
			.build();
	}

	static Span span(String traceId, String spanId, String parentId, String name, Span.SpanKind kind, long startMs,
			long durationMs, boolean error, Map<String, String> attributes) {
		Span.Builder span = Span.newBuilder()
			.setTraceId(id(traceId, 16))
			.setSpanId(id(spanId, 8))
			.setName(name)
			.setKind(kind)
			.setStartTimeUnixNano(T0 + startMs * 1_000_000)
			.setEndTimeUnixNano(T0 + (startMs + durationMs) * 1_000_000)
			.setStatus(Status.newBuilder().setCode(error ? Status.StatusCode.STATUS_CODE_ERROR : Status.StatusCode.STATUS_CODE_UNSET));
		if (parentId != null) {
			span.setParentSpanId(id(parentId, 8));
		}
		attributes.forEach((key, value) -> span.addAttributes(kv(key, value)));
		return span.build();
	}

	static ByteString id(String hex, int bytes) {
		String padded = "0".repeat(bytes * 2 - hex.length()) + hex;
		return ByteString.copyFrom(HexFormat.of().parseHex(padded));
	}

	static KeyValue kv(String key, String value) {
		return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
	}

}
