package dev.vigil.telemetry.traces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The in-place decoder against the protobuf library: a rich corpus (several resources and scopes, every span kind
 * and status, attributes of every type, events, links, odd and invalid ids, unknown fields) must be stored exactly
 * as the earlier path, which parsed requests into protobuf objects, stored it; and a malformed request must be
 * refused exactly when protobuf refuses it.
 */
class SpanDecoderTest {

	private static KeyValue kv(String key, AnyValue.Builder value) {
		return KeyValue.newBuilder().setKey(key).setValue(value).build();
	}

	private static AnyValue.Builder string(String value) {
		return AnyValue.newBuilder().setStringValue(value);
	}

	private static ByteString bytes(long value, int size) {
		byte[] big = ByteBuffer.allocate(Math.max(size, 8) + 8).putLong(Math.max(size, 8), value).array();
		return ByteString.copyFrom(big, big.length - size, size);
	}

	/** Attributes of every value type, with repeated keys, non-ASCII and long texts. */
	private static List<KeyValue> attributes(int seed) {
		List<KeyValue> attributes = new ArrayList<>();
		attributes.add(kv("http.route", string("/api/orders/" + seed % 3)));
		attributes.add(kv("order.id", string(Long.toString(1_000_000L + seed))));
		attributes.add(kv("retry", AnyValue.newBuilder().setBoolValue(seed % 2 == 0)));
		attributes.add(kv("http.response.status_code", AnyValue.newBuilder().setIntValue(seed % 5 == 0 ? -1 : 200)));
		attributes.add(kv("ratio", AnyValue.newBuilder().setDoubleValue(seed / 7.0)));
		attributes.add(kv("payload", AnyValue.newBuilder().setBytesValue(bytes(seed, 12))));
		attributes.add(kv("tags", AnyValue.newBuilder()
			.setArrayValue(ArrayValue.newBuilder().addValues(string("a")).addValues(AnyValue.newBuilder().setIntValue(seed)))));
		attributes.add(kv("nested", AnyValue.newBuilder()
			.setKvlistValue(KeyValueList.newBuilder().addValues(kv("inner", string("v" + seed))))));
		attributes.add(kv("empty", AnyValue.newBuilder()));
		attributes.add(KeyValue.newBuilder().setKey("no.value").build());
		attributes.add(kv("città", string("Zürich ✓ " + seed)));
		attributes.add(kv("long", string("x".repeat(100) + seed)));
		attributes.add(kv("http.route", string("repeated key: the first counts")));
		return attributes;
	}

	private static Span span(int trace, int index, int kind, int status) {
		Span.Builder span = Span.newBuilder()
			.setTraceId(bytes(trace, 16))
			.setSpanId(bytes(trace * 100L + index, 8))
			.setTraceState("vendor=" + index)
			.setName(index == 0 ? "GET /api/orders" : "op-" + index + " é")
			.setKindValue(kind)
			.setFlags(0x101)
			.setStartTimeUnixNano(1_790_000_000_000_000_000L + index)
			.setEndTimeUnixNano(1_790_000_000_000_000_000L + index * 1_000_000L)
			.addAllAttributes(attributes(trace * 10 + index))
			.setDroppedAttributesCount(index)
			.addEvents(Span.Event.newBuilder()
				.setName("exception")
				.setTimeUnixNano(1_790_000_000_000_000_001L)
				.addAttributes(kv("exception.message", string("boom ü"))))
			.addLinks(Span.Link.newBuilder()
				.setTraceId(bytes(trace + 1, 16))
				.setSpanId(bytes(7, 8))
				.setTraceState("k=v")
				.addAttributes(kv("link.kind", string("follows"))))
			.setStatus(Status.newBuilder().setCodeValue(status).setMessage(status == 2 ? "failed" : ""));
		if (index > 0) {
			span.setParentSpanId(index == 3 ? bytes(1, 4) : bytes(trace * 100L, 8)); // index 3: an odd-sized parent
		}
		if (index == 4) { // a field this version does not know is kept
			span.setUnknownFields(UnknownFieldSet.newBuilder()
				.addField(99, UnknownFieldSet.Field.newBuilder().addVarint(42).build())
				.build());
		}
		return span.build();
	}

	/** Three resources (one without any attribute), two scopes each (one empty), kinds 0-5 and an unknown one. */
	static ExportTraceServiceRequest corpus() {
		ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
		int trace = 1;
		for (int r = 0; r < 3; r++) {
			ResourceSpans.Builder resourceSpans = ResourceSpans.newBuilder().setSchemaUrl("https://opentelemetry.io/schemas/1.26.0");
			if (r < 2) {
				resourceSpans.setResource(Resource.newBuilder()
					.addAttributes(kv("service.name", string("svc-" + r)))
					.addAttributes(kv("host.cores", AnyValue.newBuilder().setIntValue(8)))
					.addAttributes(kv("deployment.environment.name", string("test"))));
			}
			for (int s = 0; s < 2; s++) {
				ScopeSpans.Builder scope = ScopeSpans.newBuilder();
				if (s == 0) {
					scope.setScope(InstrumentationScope.newBuilder().setName("io.opentelemetry.http").setVersion("2.1")
						.addAttributes(kv("scope.attr", string("x"))));
				}
				for (int i = 0; i < 7; i++) {
					scope.addSpans(span(trace, i, i == 6 ? 9 : i, i % 4 == 3 ? 7 : i % 3));
				}
				trace++;
				resourceSpans.addScopeSpans(scope);
			}
			request.addResourceSpans(resourceSpans);
		}
		// spans with wrong-sized ids are rejected, the rest of their scope kept
		request.addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder()
			.addSpans(span(50, 0, 1, 0).toBuilder().setTraceId(bytes(1, 8)).build())
			.addSpans(span(51, 0, 1, 0).toBuilder().setSpanId(ByteString.EMPTY).build())
			.addSpans(span(52, 0, 1, 0))));
		return request.build();
	}

	/** What the protobuf-object path stored for each valid span, field by field. */
	private static void assertStoredAsBefore(StoredSpan stored, Resource resource, InstrumentationScope scope, Span span) {
		Map<String, String> resourceAttributes = AttributeValues.toMap(resource.getAttributesList());
		assertThat(stored.traceId()).isEqualTo(Hex.of(span.getTraceId()));
		assertThat(stored.spanId()).isEqualTo(Hex.of(span.getSpanId()));
		assertThat(stored.hasParent()).isEqualTo(!span.getParentSpanId().isEmpty());
		assertThat(stored.service()).isEqualTo(resourceAttributes.getOrDefault("service.name", "unknown_service"));
		assertThat(stored.name()).isEqualTo(span.getName());
		assertThat(stored.kind()).isEqualTo(span.getKind());
		assertThat(stored.startNanos()).isEqualTo(span.getStartTimeUnixNano());
		assertThat(stored.endNanos()).isEqualTo(span.getEndTimeUnixNano());
		assertThat(stored.statusCode()).isEqualTo(switch (span.getStatus().getCode()) {
			case STATUS_CODE_ERROR -> StoredSpan.STATUS_ERROR;
			case STATUS_CODE_OK -> StoredSpan.STATUS_OK;
			default -> StoredSpan.STATUS_UNSET;
		});
		List<Map.Entry<String, String>> attributes = new ArrayList<>();
		for (KeyValue attribute : span.getAttributesList()) {
			attributes.add(Map.entry(attribute.getKey(), AttributeValues.text(attribute.getValue())));
		}
		assertThat(new ArrayList<>(stored.attributes().entrySet())).isEqualTo(attributes);
		for (KeyValue attribute : span.getAttributesList()) { // first of a repeated key, as FlatAttributes had it
			String first = span.getAttributesList().stream().filter(a -> a.getKey().equals(attribute.getKey()))
				.findFirst().map(a -> AttributeValues.text(a.getValue())).orElseThrow();
			assertThat(stored.attribute(attribute.getKey())).isEqualTo(first);
		}
		assertThat(stored.resourceAttributes()).isEqualTo(resourceAttributes);
		assertThat(stored.resource()).isEqualTo(resource);
		assertThat(stored.scope()).isEqualTo(scope);
		assertThat(stored.span()).isEqualTo(span);
		assertThat(stored.span().toByteArray()).isEqualTo(span.toByteArray());
	}

	/** {@link #assertStoredAsBefore} without AssertJ's cost, for the many mutated requests. */
	private static boolean storedAsBefore(StoredSpan stored, Resource resource, InstrumentationScope scope, Span span) {
		Map<String, String> resourceAttributes = AttributeValues.toMap(resource.getAttributesList());
		List<Map.Entry<String, String>> attributes = new ArrayList<>();
		for (KeyValue attribute : span.getAttributesList()) {
			attributes.add(Map.entry(attribute.getKey(), AttributeValues.text(attribute.getValue())));
		}
		return stored.traceId().equals(Hex.of(span.getTraceId())) && stored.spanId().equals(Hex.of(span.getSpanId()))
				&& stored.hasParent() == !span.getParentSpanId().isEmpty()
				&& stored.service().equals(resourceAttributes.getOrDefault("service.name", "unknown_service"))
				&& stored.name().equals(span.getName()) && stored.kind() == span.getKind()
				&& stored.startNanos() == span.getStartTimeUnixNano() && stored.endNanos() == span.getEndTimeUnixNano()
				&& stored.statusCode() == switch (span.getStatus().getCode()) {
					case STATUS_CODE_ERROR -> StoredSpan.STATUS_ERROR;
					case STATUS_CODE_OK -> StoredSpan.STATUS_OK;
					default -> StoredSpan.STATUS_UNSET;
				} && new ArrayList<>(stored.attributes().entrySet()).equals(attributes)
				&& stored.resourceAttributes().equals(resourceAttributes) && stored.resource().equals(resource)
				&& stored.scope().equals(scope) && stored.span().equals(span);
	}

	@Test
	void storesARichCorpusExactlyAsTheProtobufPathDid() throws Exception {
		ExportTraceServiceRequest request = corpus();
		SpanBatch batch = new SpanDecoder().decodeRequest(request.toByteArray());
		int i = 0;
		for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
			for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
				for (Span span : scopeSpans.getSpansList()) {
					if (span.getTraceId().size() != 16 || span.getSpanId().size() != 8) {
						continue;
					}
					assertStoredAsBefore(batch.spans().get(i++), resourceSpans.getResource(), scopeSpans.getScope(),
							span);
				}
			}
		}
		assertThat(batch.size()).isEqualTo(i).isEqualTo(43);
		assertThat(batch.received()).isEqualTo(45);
		assertThat(batch.rejected()).isEqualTo(2);
		assertThat(batch.firstError()).isEqualTo("span GET /api/orders: trace_id must be 16 bytes, got 8");
	}

	@Test
	void storesAndFindsTheCorpusThroughTheStore() {
		TraceStore store = new TraceStore(new TraceStore.Config(1_000, Long.MAX_VALUE / 2));
		ExportTraceServiceRequest request = corpus();
		store.append(request.getResourceSpansList());
		assertThat(store.spanCount()).isEqualTo(43);
		Span span = request.getResourceSpans(1).getScopeSpans(0).getSpans(2);
		List<StoredSpan> trace = store.trace(Hex.of(span.getTraceId())).orElseThrow();
		assertThat(trace).hasSize(7);
		assertStoredAsBefore(trace.get(2), request.getResourceSpans(1).getResource(),
				request.getResourceSpans(1).getScopeSpans(0).getScope(), span);
		// tag names come from one span per distinct set of names: a span with other names adds them
		store.append(List.of(Spans.batch("other", Spans.span("ff", "1", null, "x", Span.SpanKind.SPAN_KIND_SERVER, 0, 1,
				false, Map.of("only.here", "1", "http.route", "/x")))));
		assertThat(store.tagNames().get("span")).containsExactlyInAnyOrder("http.route", "order.id", "retry",
				"http.response.status_code", "ratio", "payload", "tags", "nested", "empty", "no.value", "città", "long",
				"only.here");
		assertThat(store.tagNames().get("resource")).containsExactlyInAnyOrder("service.name", "host.cores",
				"deployment.environment.name");
		assertThat(store.tagValues("span.only.here", 10)).containsExactly("1");
		assertThat(store.tagValues("service.name", 10)).containsExactly("other", "svc-0", "svc-1");
		// the digest holds every attribute as the search compares it: each query finds its trace, and only it
		for (String query : List.of("{ span.ratio = \"" + 32 / 7.0 + "\" }", "{ span.payload = \"000000000000000000000020\" }",
				"{ span.tags = \"[a, 32]\" }", "{ span.nested = \"{inner=v32}\" }", "{ span.città = \"Zürich ✓ 32\" }",
				"{ span.long = \"" + "x".repeat(100) + "32\" }", "{ .host.cores = \"8\" && span.order.id = \"1000032\" }",
				"{ span.http.response.status_code = \"200\" && name = \"op-2 é\" && span.order.id = \"1000032\" }")) {
			List<TraceStore.TraceSummary> found = store.search(TraceQL.parse(query), 0, Long.MAX_VALUE, 0,
					Long.MAX_VALUE, 100);
			assertThat(found).as(query).extracting(TraceStore.TraceSummary::traceId)
				.containsExactly(Hex.of(span.getTraceId()));
		}
	}

	@Test
	void refusesMalformedRequestsExactlyWhenProtobufDoes() {
		byte[] valid = corpus().toByteArray();
		SpanDecoder decoder = new SpanDecoder();
		Random random = new Random(42);
		int refused = 0;
		for (int n = 0; n < 1_000; n++) {
			byte[] mutated = valid.clone();
			int changes = 1 + random.nextInt(3);
			for (int c = 0; c < changes; c++) {
				mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
			}
			if (n % 10 == 0) { // and truncated ones
				mutated = java.util.Arrays.copyOf(mutated, random.nextInt(mutated.length));
			}
			ExportTraceServiceRequest parsed;
			try {
				parsed = ExportTraceServiceRequest.parseFrom(mutated);
			}
			catch (InvalidProtocolBufferException e) {
				byte[] bad = mutated;
				try {
					decoder.decodeRequest(bad);
					throw new AssertionError("mutation " + n + " was accepted, protobuf refuses it: " + e.getMessage());
				}
				catch (InvalidProtocolBufferException expected) {
					// as protobuf
				}
				refused++;
				continue;
			}
			SpanBatch batch;
			try {
				batch = decoder.decodeRequest(mutated);
			}
			catch (InvalidProtocolBufferException e) {
				throw new AssertionError("mutation " + n + " parses with protobuf but was refused: " + e.getMessage());
			}
			int i = 0;
			for (ResourceSpans resourceSpans : parsed.getResourceSpansList()) {
				for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
					for (Span span : scopeSpans.getSpansList()) {
						if (span.getTraceId().size() == 16 && span.getSpanId().size() == 8) {
							StoredSpan stored = batch.spans().get(i++);
							if (!storedAsBefore(stored, resourceSpans.getResource(), scopeSpans.getScope(), span)) {
								assertStoredAsBefore(stored, resourceSpans.getResource(), scopeSpans.getScope(), span);
							}
						}
					}
				}
			}
			if (batch.size() != i) {
				throw new AssertionError("mutation " + n + ": " + batch.size() + " spans stored, protobuf has " + i);
			}
		}
		assertThat(refused).as("enough mutations are malformed to mean something").isGreaterThan(100);
	}

	@Test
	void refusesInvalidUtf8AnywhereInASpanAsProtobufDoes() {
		// builders refuse invalid UTF-8, so a marker of the same length is replaced in the serialized request
		String marker = "@@@@";
		Span good = span(1, 1, 2, 0);
		List<Span> spans = List.of(
				good.toBuilder().setName(marker).build(),
				good.toBuilder().setTraceState(marker).build(),
				good.toBuilder().addAttributes(kv(marker, string("v"))).build(),
				good.toBuilder().addAttributes(kv("k", string(marker))).build(),
				good.toBuilder().setEvents(0, good.getEvents(0).toBuilder().setName(marker)).build(),
				good.toBuilder().setLinks(0, good.getLinks(0).toBuilder().setTraceState(marker)).build(),
				good.toBuilder().setStatus(Status.newBuilder().setMessage(marker)).build(),
				// a string value replaced by a later int value on the wire: protobuf still checks the string
				good.toBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
					.addField(9, UnknownFieldSet.Field.newBuilder()
						.addLengthDelimited(ByteString.copyFrom(new byte[] { 0x0a, 1, 'k', 0x12, 8, 0x0a, 4, '@', '@', '@',
								'@', 0x18, 1 }))
						.build())
					.build()).build());
		for (Span span : spans) {
			byte[] request = ExportTraceServiceRequest.newBuilder()
				.addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
				.build()
				.toByteArray();
			int at = new String(request, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf(marker);
			assertThat(at).isPositive();
			request[at + 2] = (byte) 0xc3; // a lead byte followed by '@': not UTF-8
			assertThatThrownBy(() -> ExportTraceServiceRequest.parseFrom(request))
				.isInstanceOf(InvalidProtocolBufferException.class);
			assertThatThrownBy(() -> new SpanDecoder().decodeRequest(request))
				.isInstanceOf(InvalidProtocolBufferException.class)
				.hasMessageContaining("UTF-8");
		}
	}

}
