package dev.vigil.telemetry.servicegraph;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.HexFormat;
import java.util.List;

/**
 * Test data: one order as Vigil's services report it. gateway (SERVER, CLIENT) → orders (SERVER, CLIENT) → payments
 * (SERVER, failed); orders publishes to Kafka (PRODUCER) and notifications consumes it in a new trace whose CONSUMER
 * span links to the producer's context.
 */
public final class ShopTrace {

	public static final long T0 = 1_790_000_000_000_000_000L;

	private ShopTrace() {
	}

	/** The spans of one order, each service in its own batch, in the order services would export them. */
	public static List<ResourceSpans> order(int n) {
		String trace = String.format("%032x", 0xabc000L + n);
		String consumerTrace = String.format("%032x", 0xdef000L + n);
		return List.of(
				batch("vigil-payments", span(trace, "05", "04", "payments.v1.Payments/Charge", SpanKind.SPAN_KIND_SERVER, 30, 200, true)),
				batch("vigil-orders",
						span(trace, "03", "02", "orders.v1.Orders/PlaceOrder", SpanKind.SPAN_KIND_SERVER, 10, 400, false),
						span(trace, "04", "03", "payments.v1.Payments/Charge", SpanKind.SPAN_KIND_CLIENT, 25, 210, true),
						span(trace, "06", "03", "orders.v1 publish", SpanKind.SPAN_KIND_PRODUCER, 300, 3, false)),
				batch("vigil-gateway",
						span(trace, "01", null, "POST /api/orders", SpanKind.SPAN_KIND_SERVER, 0, 500, false),
						span(trace, "02", "01", "orders.v1.Orders/PlaceOrder", SpanKind.SPAN_KIND_CLIENT, 5, 450, false)),
				batch("vigil-notifications", span(consumerTrace, "07", null, "orders.v1 process", SpanKind.SPAN_KIND_CONSUMER, 900, 20, false)
					.toBuilder()
					.addLinks(Span.Link.newBuilder().setTraceId(id(trace, 16)).setSpanId(id("06", 8)))
					.build()));
	}

	public static ResourceSpans batch(String service, Span... spans) {
		return ResourceSpans.newBuilder()
			.setResource(Resource.newBuilder().addAttributes(kv("service.name", service)))
			.addScopeSpans(ScopeSpans.newBuilder().addAllSpans(List.of(spans)))
			.build();
	}

	public static Span span(String traceId, String spanId, String parentId, String name, SpanKind kind, long startMs,
			long durationMs, boolean error) {
		Span.Builder span = Span.newBuilder()
			.setTraceId(id(traceId, 16))
			.setSpanId(id(spanId, 8))
			.setName(name)
			.setKind(kind)
			.setStartTimeUnixNano(T0 + startMs * 1_000_000)
			.setEndTimeUnixNano(T0 + (startMs + durationMs) * 1_000_000)
			.setStatus(Status.newBuilder()
				.setCode(error ? Status.StatusCode.STATUS_CODE_ERROR : Status.StatusCode.STATUS_CODE_UNSET));
		if (parentId != null) {
			span.setParentSpanId(id(parentId, 8));
		}
		return span.build();
	}

	public static ByteString id(String hex, int bytes) {
		return ByteString.copyFrom(HexFormat.of().parseHex("0".repeat(bytes * 2 - hex.length()) + hex));
	}

	public static KeyValue kv(String key, String value) {
		return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
	}

}
