package dev.vigil.telemetry.traces;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.vigil.telemetry.otlp.wire.ProtoCursor;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

/**
 * The one decoder of OTLP span data, for OTLP/gRPC, OTLP/HTTP (protobuf, and JSON once converted) and the append
 * log's replay: walks the serialized {@code ExportTraceServiceRequest} and makes {@link StoredSpan}s that point into
 * it, without building the protobuf object graph (some forty objects per span, most of what ingest used to
 * allocate). It still checks everything the protobuf parser checks (wire format, lengths, UTF-8 in every string
 * field, events and links included), so a malformed request fails as a whole with
 * {@link InvalidProtocolBufferException}, and every stored span can later be parsed. Resources and scopes are
 * parsed once per distinct serialized form and shared ({@link MessageCache}); span names and attribute texts are
 * interned from their bytes ({@link InternCache}), so known ones allocate nothing. Thread-safe.
 */
public final class SpanDecoder {

	private static final int RESOURCE_SPANS = 1 << 3 | ProtoCursor.LEN;

	private static final int RESOURCE = 1 << 3 | ProtoCursor.LEN;

	private static final int SCOPE_SPANS = 2 << 3 | ProtoCursor.LEN;

	private static final int SCOPE = 1 << 3 | ProtoCursor.LEN;

	private static final int SPANS = 2 << 3 | ProtoCursor.LEN;

	/** schema_url of ResourceSpans and ScopeSpans alike. */
	private static final int SCHEMA_URL = 3 << 3 | ProtoCursor.LEN;

	// Span
	private static final int TRACE_ID = 1 << 3 | ProtoCursor.LEN;

	private static final int SPAN_ID = 2 << 3 | ProtoCursor.LEN;

	private static final int TRACE_STATE = 3 << 3 | ProtoCursor.LEN;

	private static final int PARENT_SPAN_ID = 4 << 3 | ProtoCursor.LEN;

	private static final int NAME = 5 << 3 | ProtoCursor.LEN;

	private static final int KIND = 6 << 3 | ProtoCursor.VARINT;

	private static final int START = 7 << 3 | ProtoCursor.FIXED64;

	private static final int END = 8 << 3 | ProtoCursor.FIXED64;

	private static final int ATTRIBUTES = 9 << 3 | ProtoCursor.LEN;

	private static final int EVENTS = 11 << 3 | ProtoCursor.LEN;

	private static final int LINKS = 13 << 3 | ProtoCursor.LEN;

	private static final int STATUS = 15 << 3 | ProtoCursor.LEN;

	// Span.Event: name 2, attributes 3; Span.Link: trace_state 3, attributes 4; Status: message 2, code 3
	private static final int EVENT_NAME = 2 << 3 | ProtoCursor.LEN;

	private static final int EVENT_ATTRIBUTES = 3 << 3 | ProtoCursor.LEN;

	private static final int LINK_TRACE_STATE = 3 << 3 | ProtoCursor.LEN;

	private static final int LINK_ATTRIBUTES = 4 << 3 | ProtoCursor.LEN;

	private static final int STATUS_MESSAGE = 2 << 3 | ProtoCursor.LEN;

	private static final int STATUS_CODE = 3 << 3 | ProtoCursor.VARINT;

	// KeyValue: key 1, value 2
	private static final int KEY = 1 << 3 | ProtoCursor.LEN;

	private static final int VALUE = 2 << 3 | ProtoCursor.LEN;

	/** 16,384 slots: the names and common values of a large deployment, 64 KB of references. */
	private final InternCache interned = new InternCache(1 << 14);

	private final MessageCache<StoredResource> resources = new MessageCache<>(1 << 10, StoredResource::parse);

	private final MessageCache<InstrumentationScope> scopes = new MessageCache<>(1 << 10,
			InstrumentationScope.parser()::parseFrom);

	/** Decodes a serialized {@code ExportTraceServiceRequest}; the batch's spans point into {@code request}. */
	public SpanBatch decodeRequest(byte[] request) throws InvalidProtocolBufferException {
		Builder batch = new Builder(request);
		ProtoCursor reader = new ProtoCursor(request, 0, request.length);
		while (reader.hasMore()) {
			int tag = reader.tag();
			if (tag == RESOURCE_SPANS) {
				reader.payload();
				resourceSpans(batch, reader.payloadStart, reader.pos - reader.payloadStart);
			}
			else {
				reader.skip(tag);
			}
		}
		return batch.build();
	}

	/** Decodes one serialized {@code ResourceSpans} (an append-log record). */
	public SpanBatch decodeResourceSpans(byte[] resourceSpans) throws InvalidProtocolBufferException {
		Builder batch = new Builder(resourceSpans);
		resourceSpans(batch, 0, resourceSpans.length);
		return batch.build();
	}

	/** Decodes messages already parsed (tests, tools): serialized first, so they take the same path. */
	public SpanBatch decode(List<ResourceSpans> resourceSpans) {
		try {
			return decodeRequest(
					ExportTraceServiceRequest.newBuilder().addAllResourceSpans(resourceSpans).build().toByteArray());
		}
		catch (InvalidProtocolBufferException e) {
			throw new IllegalArgumentException("spans cannot be decoded: " + e.getMessage(), e);
		}
	}

	private void resourceSpans(Builder batch, int offset, int length) throws InvalidProtocolBufferException {
		byte[] buf = batch.buf;
		// the resource may follow its scope spans on the wire, so find it first
		Range resource = find(buf, offset, length, RESOURCE);
		StoredResource stored = resources.get(resource.buf, resource.offset, resource.length);
		int before = batch.size;
		ProtoCursor reader = new ProtoCursor(buf, offset, length);
		while (reader.hasMore()) {
			int tag = reader.tag();
			if (tag == SCOPE_SPANS) {
				reader.payload();
				scopeSpans(batch, stored, reader.payloadStart, reader.pos - reader.payloadStart);
			}
			else if (tag == SCHEMA_URL) {
				reader.payload();
				InternCache.requireUtf8(buf, reader.payloadStart, reader.pos - reader.payloadStart);
			}
			else {
				reader.skip(tag);
			}
		}
		batch.resourceSpans(offset, length, batch.size - before);
	}

	private void scopeSpans(Builder batch, StoredResource resource, int offset, int length)
			throws InvalidProtocolBufferException {
		byte[] buf = batch.buf;
		Range scope = find(buf, offset, length, SCOPE);
		InstrumentationScope stored = scopes.get(scope.buf, scope.offset, scope.length);
		ProtoCursor reader = new ProtoCursor(buf, offset, length);
		while (reader.hasMore()) {
			int tag = reader.tag();
			if (tag == SPANS) {
				reader.payload();
				span(batch, resource, stored, reader.payloadStart, reader.pos - reader.payloadStart);
			}
			else if (tag == SCHEMA_URL) {
				reader.payload();
				InternCache.requireUtf8(buf, reader.payloadStart, reader.pos - reader.payloadStart);
			}
			else {
				reader.skip(tag);
			}
		}
	}

	/** Bytes of a message-typed field; several occurrences are concatenated, which is how protobuf merges them. */
	private record Range(byte[] buf, int offset, int length) {

	}

	private static Range find(byte[] buf, int offset, int length, int wanted) throws InvalidProtocolBufferException {
		ProtoCursor reader = new ProtoCursor(buf, offset, length);
		Range found = new Range(buf, 0, 0);
		ByteArrayOutputStream merged = null;
		while (reader.hasMore()) {
			int tag = reader.tag();
			if (tag != wanted) {
				reader.skip(tag);
				continue;
			}
			reader.payload();
			if (found.length == 0 && merged == null) {
				found = new Range(buf, reader.payloadStart, reader.pos - reader.payloadStart);
				continue;
			}
			if (merged == null) {
				merged = new ByteArrayOutputStream();
				merged.write(found.buf, found.offset, found.length);
			}
			merged.write(buf, reader.payloadStart, reader.pos - reader.payloadStart);
		}
		if (merged == null) {
			return found;
		}
		byte[] bytes = merged.toByteArray();
		return new Range(bytes, 0, bytes.length);
	}

	private void span(Builder batch, StoredResource resource, InstrumentationScope scope, int offset, int length)
			throws InvalidProtocolBufferException {
		byte[] buf = batch.buf;
		int traceId = -1;
		int traceIdLength = 0;
		int spanId = -1;
		int spanIdLength = 0;
		int parentId = -1;
		int parentIdLength = 0;
		int nameStart = -1;
		int nameLength = 0;
		int kind = 0;
		int status = 0;
		long start = 0;
		long end = 0;
		int pairsBefore = batch.pairs;
		long keyShape = 0;
		ProtoCursor reader = new ProtoCursor(buf, offset, length);
		KeyValueRef kv = batch.kv;
		// last occurrence wins for scalar fields, as in protobuf
		while (reader.hasMore()) {
			int tag = reader.tag();
			switch (tag) {
				case TRACE_ID -> {
					traceIdLength = reader.payload();
					traceId = reader.payloadStart;
				}
				case SPAN_ID -> {
					spanIdLength = reader.payload();
					spanId = reader.payloadStart;
				}
				case PARENT_SPAN_ID -> {
					parentIdLength = reader.payload();
					parentId = reader.payloadStart;
				}
				case NAME -> {
					if (nameStart >= 0) { // replaced, but protobuf would still have refused it malformed
						InternCache.requireUtf8(buf, nameStart, nameLength);
					}
					nameLength = reader.payload();
					nameStart = reader.payloadStart;
				}
				case KIND -> kind = (int) reader.varint();
				case START -> start = reader.fixed64();
				case END -> end = reader.fixed64();
				case ATTRIBUTES -> {
					reader.payload();
					kv.read(buf, reader.payloadStart, reader.pos - reader.payloadStart);
					String key = kv.keyText(interned);
					batch.pair(TraceDigest.hash(key, kv.valueText(interned)));
					keyShape += TraceDigest.hash(key, ""); // a sum: the same names in any order, the same shape
				}
				case TRACE_STATE -> {
					reader.payload();
					InternCache.requireUtf8(buf, reader.payloadStart, reader.pos - reader.payloadStart);
				}
				case EVENTS -> {
					reader.payload();
					checkStrings(buf, reader.payloadStart, reader.pos - reader.payloadStart, EVENT_NAME,
							EVENT_ATTRIBUTES, kv);
				}
				case LINKS -> {
					reader.payload();
					checkStrings(buf, reader.payloadStart, reader.pos - reader.payloadStart, LINK_TRACE_STATE,
							LINK_ATTRIBUTES, kv);
				}
				case STATUS -> {
					reader.payload();
					status = status(buf, reader.payloadStart, reader.pos - reader.payloadStart, status);
				}
				default -> reader.skip(tag);
			}
		}
		String name = nameStart < 0 ? "" : interned.intern(buf, nameStart, nameLength);
		batch.received++;
		String error = null;
		if (traceIdLength != 16) {
			error = "span " + name + ": trace_id must be 16 bytes, got " + traceIdLength;
		}
		else if (spanIdLength != 8) {
			error = "span " + name + ": span_id must be 8 bytes, got " + spanIdLength;
		}
		if (error != null) {
			batch.pairs = pairsBefore;
			if (batch.firstError.isEmpty()) {
				batch.firstError = error;
			}
			return;
		}
		byte parent = parentIdLength == 0 ? StoredSpan.NO_PARENT
				: parentIdLength == 8 ? StoredSpan.PARENT : StoredSpan.ODD_PARENT;
		int storedStatus = switch (status) {
			case 1 -> StoredSpan.STATUS_OK;
			case 2 -> StoredSpan.STATUS_ERROR;
			default -> StoredSpan.STATUS_UNSET;
		};
		batch.add(new StoredSpan(buf, offset, length, longAt(buf, traceId), longAt(buf, traceId + 8),
				longAt(buf, spanId), parent, parent == StoredSpan.PARENT ? longAt(buf, parentId) : 0, name, kind,
				storedStatus, start, end, resource, scope, keyShape));
	}

	/** The status code after this occurrence of {@code status}: its code if it has one, else the code so far. */
	private static int status(byte[] buf, int offset, int length, int code) throws InvalidProtocolBufferException {
		ProtoCursor reader = new ProtoCursor(buf, offset, length);
		while (reader.hasMore()) {
			int tag = reader.tag();
			if (tag == STATUS_CODE) {
				code = (int) reader.varint();
			}
			else if (tag == STATUS_MESSAGE) {
				reader.payload();
				InternCache.requireUtf8(buf, reader.payloadStart, reader.pos - reader.payloadStart);
			}
			else {
				reader.skip(tag);
			}
		}
		return code;
	}

	/** Checks the strings of an event or link: one string field and the attributes. */
	private static void checkStrings(byte[] buf, int offset, int length, int stringTag, int attributesTag,
			KeyValueRef kv) throws InvalidProtocolBufferException {
		ProtoCursor reader = new ProtoCursor(buf, offset, length);
		while (reader.hasMore()) {
			int tag = reader.tag();
			if (tag == stringTag) {
				reader.payload();
				InternCache.requireUtf8(buf, reader.payloadStart, reader.pos - reader.payloadStart);
			}
			else if (tag == attributesTag) {
				reader.payload();
				kv.read(buf, reader.payloadStart, reader.pos - reader.payloadStart);
				kv.keyText(null);
				kv.valueText(null);
			}
			else {
				reader.skip(tag);
			}
		}
	}

	/** A link's target if its ids have the valid sizes, else null. */
	static StoredSpan.Link link(byte[] buf, int offset, int length) throws InvalidProtocolBufferException {
		ProtoCursor reader = new ProtoCursor(buf, offset, length);
		int traceId = -1;
		int traceIdLength = 0;
		int spanId = -1;
		int spanIdLength = 0;
		while (reader.hasMore()) {
			int tag = reader.tag();
			if (tag == TRACE_ID) {
				traceIdLength = reader.payload();
				traceId = reader.payloadStart;
			}
			else if (tag == SPAN_ID) {
				spanIdLength = reader.payload();
				spanId = reader.payloadStart;
			}
			else {
				reader.skip(tag);
			}
		}
		if (traceIdLength != 16 || spanIdLength != 8) {
			return null;
		}
		return new StoredSpan.Link(longAt(buf, traceId), longAt(buf, traceId + 8), longAt(buf, spanId));
	}

	private static long longAt(byte[] buf, int offset) {
		long value = 0;
		for (int i = 0; i < 8; i++) {
			value = value << 8 | (buf[offset + i] & 0xffL);
		}
		return value;
	}

	/**
	 * One serialized {@code KeyValue}, read in place: where its key and value lie. Reusable; the text methods give
	 * what {@link AttributeValues#text} gives for the parsed value.
	 */
	static final class KeyValueRef {

		private byte[] buf;

		private int offset;

		private int length;

		private int keyStart;

		private int keyLength;

		private int valueStart;

		private int valueLength;

		private int values;

		void read(byte[] buf, int offset, int length) throws InvalidProtocolBufferException {
			this.buf = buf;
			this.offset = offset;
			this.length = length;
			keyStart = offset;
			keyLength = 0;
			valueStart = offset;
			valueLength = 0;
			values = 0;
			ProtoCursor reader = new ProtoCursor(buf, offset, length);
			while (reader.hasMore()) {
				int tag = reader.tag();
				if (tag == KEY) {
					if (keyLength > 0) { // replaced, but protobuf would still have refused it malformed
						InternCache.requireUtf8(buf, keyStart, keyLength);
					}
					keyLength = reader.payload();
					keyStart = reader.payloadStart;
				}
				else if (tag == VALUE) {
					valueLength = reader.payload();
					valueStart = reader.payloadStart;
					values++;
				}
				else {
					reader.skip(tag);
				}
			}
		}

		boolean keyEquals(byte[] key) {
			return Arrays.equals(buf, keyStart, keyStart + keyLength, key, 0, key.length);
		}

		/** @param cache interns the text when given */
		String keyText(InternCache cache) throws InvalidProtocolBufferException {
			return cache != null ? cache.intern(buf, keyStart, keyLength) : InternCache.utf8(buf, keyStart, keyLength);
		}

		String valueText(InternCache cache) throws InvalidProtocolBufferException {
			if (values > 1) { // repeated value fields merge: let protobuf do it
				return AttributeValues.text(KeyValue.parseFrom(Arrays.copyOfRange(buf, offset, offset + length))
					.getValue());
			}
			return anyValueText(buf, valueStart, valueLength, cache);
		}

	}

	/** AttributeValues.text of a serialized AnyValue. */
	private static String anyValueText(byte[] buf, int offset, int length, InternCache cache)
			throws InvalidProtocolBufferException {
		ProtoCursor reader = new ProtoCursor(buf, offset, length);
		int which = 0; // the oneof field set last
		boolean nested = false;
		long bits = 0;
		int start = 0;
		int size = 0;
		while (reader.hasMore()) {
			int tag = reader.tag();
			int field = tag >>> 3;
			int wireType = tag & 7;
			boolean lengthDelimited = field == 1 || field == 5 || field == 6 || field == 7;
			boolean varint = field == 2 || field == 3 || field == 8;
			boolean fixed64 = field == 4;
			if (!(lengthDelimited && wireType == ProtoCursor.LEN || varint && wireType == ProtoCursor.VARINT
					|| fixed64 && wireType == ProtoCursor.FIXED64)) {
				reader.skip(tag);
				continue;
			}
			if (which == 1) { // a string replaced, but protobuf would still have refused it malformed
				InternCache.requireUtf8(buf, start, size);
			}
			which = field;
			nested |= field == 5 || field == 6;
			if (lengthDelimited) {
				size = reader.payload();
				start = reader.payloadStart;
			}
			else {
				bits = fixed64 ? reader.fixed64() : reader.varint();
			}
		}
		if (nested) { // arrays and lists may nest and merge: rare enough to let protobuf parse them
			return AttributeValues.text(AnyValue.parseFrom(Arrays.copyOfRange(buf, offset, offset + length)));
		}
		return switch (which) {
			case 1 -> cache != null ? cache.intern(buf, start, size) : InternCache.utf8(buf, start, size);
			case 2 -> bits != 0 ? "true" : "false";
			case 3 -> Long.toString(bits);
			case 4 -> Double.toString(Double.longBitsToDouble(bits));
			case 7 -> Hex.of(buf, start, size);
			default -> "";
		};
	}

	/** Collects one batch. */
	private static final class Builder {

		final byte[] buf;

		final KeyValueRef kv = new KeyValueRef();

		StoredSpan[] spans = new StoredSpan[64];

		int size;

		long[] pairHashes = new long[512];

		int pairs;

		int[] pairStart = new int[65];

		int[] resourceSpans = new int[12];

		int resourceSpansCount;

		long received;

		String firstError = "";

		Builder(byte[] buf) {
			this.buf = buf;
		}

		void pair(long hash) {
			if (pairs == pairHashes.length) {
				pairHashes = Arrays.copyOf(pairHashes, pairs * 2);
			}
			pairHashes[pairs++] = hash;
		}

		void add(StoredSpan span) {
			if (size == spans.length) {
				spans = Arrays.copyOf(spans, size * 2);
				pairStart = Arrays.copyOf(pairStart, size * 2 + 1);
			}
			spans[size++] = span;
			pairStart[size] = pairs;
		}

		void resourceSpans(int offset, int length, int valid) {
			if (valid == 0) {
				return;
			}
			if (resourceSpansCount * 3 == resourceSpans.length) {
				resourceSpans = Arrays.copyOf(resourceSpans, resourceSpans.length * 2);
			}
			resourceSpans[resourceSpansCount * 3] = offset;
			resourceSpans[resourceSpansCount * 3 + 1] = length;
			resourceSpans[resourceSpansCount * 3 + 2] = valid;
			resourceSpansCount++;
		}

		SpanBatch build() {
			return new SpanBatch(buf, spans, size, pairHashes, pairStart, resourceSpans, resourceSpansCount, received,
					firstError);
		}

	}

}
