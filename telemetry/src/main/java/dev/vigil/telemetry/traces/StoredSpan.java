package dev.vigil.telemetry.traces;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.vigil.telemetry.otlp.wire.ProtoCursor;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One span as stored: the fields search and the span-derived metrics read decoded once at ingest, the span itself
 * left where it arrived, as serialized OTLP protobuf inside the received request's bytes, so that a trace is
 * returned exactly as it was sent. One object per span and no copy: the request's byte array is shared by its spans
 * (and lives as long as the newest of them, which eviction, oldest traces first, keeps close to the batch's own
 * lifetime). What a span holds is thereby almost all long-lived bytes in a few large arrays rather than some forty
 * small objects, which keeps garbage collection of a million stored spans cheap. Attributes are read from the bytes
 * when a search or the service graph asks for them; resource and scope are shared across spans and batches.
 */
public final class StoredSpan {

	static final int STATUS_UNSET = 0;

	static final int STATUS_OK = 1;

	static final int STATUS_ERROR = 2;

	/** No parent span id; an 8-byte one; one of another length (kept, but it cannot name a span). */
	static final byte NO_PARENT = 0;

	static final byte PARENT = 1;

	static final byte ODD_PARENT = 2;

	private static final int ATTRIBUTES = 9 << 3 | ProtoCursor.LEN;

	private static final int LINKS = 13 << 3 | ProtoCursor.LEN;

	private final byte[] buf;

	private final int offset;

	private final int length;

	final long traceHigh;

	final long traceLow;

	private final long spanId;

	private final long parentSpanId;

	private final byte parent;

	private final byte statusCode;

	private final int kind;

	private final String name;

	private final long startNanos;

	private final long endNanos;

	private final StoredResource resource;

	private final InstrumentationScope scope;

	/** A hash of the span's attribute names (as a set with repeats): spans with equal shapes have the same names. */
	private final long keyShape;

	StoredSpan(byte[] buf, int offset, int length, long traceHigh, long traceLow, long spanId, byte parent,
			long parentSpanId, String name, int kind, int statusCode, long startNanos, long endNanos,
			StoredResource resource, InstrumentationScope scope, long keyShape) {
		this.buf = buf;
		this.offset = offset;
		this.length = length;
		this.traceHigh = traceHigh;
		this.traceLow = traceLow;
		this.spanId = spanId;
		this.parent = parent;
		this.parentSpanId = parentSpanId;
		this.name = name;
		this.kind = kind;
		this.statusCode = (byte) statusCode;
		this.startNanos = startNanos;
		this.endNanos = endNanos;
		this.resource = resource;
		this.scope = scope;
		this.keyShape = keyShape;
	}

	long keyShape() {
		return keyShape;
	}

	public String traceId() {
		return Hex.traceId(traceHigh, traceLow);
	}

	public long traceIdHigh() {
		return traceHigh;
	}

	public long traceIdLow() {
		return traceLow;
	}

	public String spanId() {
		return Hex.spanId(spanId);
	}

	public long spanIdBits() {
		return spanId;
	}

	/** True when the span names a parent (of any length). */
	public boolean hasParent() {
		return parent != NO_PARENT;
	}

	/** True when the span's parent id is 8 bytes, {@link #parentSpanIdBits} then being it. */
	public boolean hasValidParent() {
		return parent == PARENT;
	}

	public long parentSpanIdBits() {
		return parentSpanId;
	}

	public String service() {
		return resource.service;
	}

	public String name() {
		return name;
	}

	/** The kind; {@code UNRECOGNIZED} for numbers this version does not know, as protobuf reports them. */
	public Span.SpanKind kind() {
		Span.SpanKind known = Span.SpanKind.forNumber(kind);
		return known == null ? Span.SpanKind.UNRECOGNIZED : known;
	}

	public long startNanos() {
		return startNanos;
	}

	public long endNanos() {
		return endNanos;
	}

	public long durationNanos() {
		return Math.max(0, endNanos - startNanos);
	}

	/** {@link #STATUS_UNSET}, {@link #STATUS_OK} or {@link #STATUS_ERROR}. */
	public int statusCode() {
		return statusCode;
	}

	public boolean isError() {
		return statusCode == STATUS_ERROR;
	}

	public StoredResource storedResource() {
		return resource;
	}

	Map<String, String> resourceAttributes() {
		return resource.attributes;
	}

	Resource resource() {
		return resource.resource;
	}

	InstrumentationScope scope() {
		return scope;
	}

	/** The span as it arrived. */
	Span span() {
		try {
			return Span.parser().parseFrom(buf, offset, length);
		}
		catch (InvalidProtocolBufferException e) {
			throw new IllegalStateException("stored span cannot be parsed", e); // it was validated at ingest
		}
	}

	/** The span's attribute {@code key} as text (the first, if repeated), or null. Reads the stored bytes. */
	public String attribute(String key) {
		return attribute(key.getBytes(StandardCharsets.UTF_8));
	}

	/** As {@link #attribute(String)}, the key given as UTF-8 (encoded once per query, not per span). */
	String attribute(byte[] key) {
		return attributes(new byte[][] { key })[0];
	}

	/** The span's attribute, else the resource's (TraceQL's {@code .key}). */
	String attributeOrResource(byte[] key, String keyText) {
		String value = attribute(key);
		return value != null ? value : resource.attributes.get(keyText);
	}

	/**
	 * The values of several attributes in one pass over the span: {@code values[i]} is the text of the first
	 * attribute named {@code keys[i]} (UTF-8), or null.
	 */
	public String[] attributes(byte[][] keys) {
		String[] values = new String[keys.length];
		SpanDecoder.KeyValueRef kv = new SpanDecoder.KeyValueRef();
		forEachField(ATTRIBUTES, (start, size) -> {
			kv.read(buf, start, size);
			for (int i = 0; i < keys.length; i++) {
				if (values[i] == null && kv.keyEquals(keys[i])) {
					values[i] = kv.valueText(null);
				}
			}
		});
		return values;
	}

	/** All attributes as text, decoded from the stored bytes (for listing tag names and values). */
	Map<String, String> attributes() {
		List<String> pairs = new ArrayList<>();
		SpanDecoder.KeyValueRef kv = new SpanDecoder.KeyValueRef();
		forEachField(ATTRIBUTES, (start, size) -> {
			kv.read(buf, start, size);
			pairs.add(kv.keyText(null));
			pairs.add(kv.valueText(null));
		});
		return pairs.isEmpty() ? FlatAttributes.EMPTY : new FlatAttributes(pairs.toArray(String[]::new));
	}

	/** A link's target: trace id halves and span id. */
	public record Link(long traceHigh, long traceLow, long spanId) {

	}

	/**
	 * The span's links whose ids have the valid sizes (16-byte trace, 8-byte span id); a link with other sizes cannot
	 * name a span and is left out.
	 */
	public List<Link> links() {
		List<Link> links = new ArrayList<>(1);
		forEachField(LINKS, (start, size) -> {
			Link link = SpanDecoder.link(buf, start, size);
			if (link != null) {
				links.add(link);
			}
		});
		return links;
	}

	@FunctionalInterface
	private interface FieldVisitor {

		void visit(int start, int size) throws InvalidProtocolBufferException;

	}

	/** Visits the payload of every occurrence of a length-delimited field of the stored span. */
	private void forEachField(int wantedTag, FieldVisitor visitor) {
		try {
			ProtoCursor reader = new ProtoCursor(buf, offset, length);
			while (reader.hasMore()) {
				int tag = reader.tag();
				if (tag != wantedTag) {
					reader.skip(tag);
					continue;
				}
				reader.payload();
				visitor.visit(reader.payloadStart, reader.pos - reader.payloadStart);
			}
		}
		catch (InvalidProtocolBufferException e) {
			throw new IllegalStateException("stored span cannot be read", e); // it was validated at ingest
		}
	}

	/** Bytes held, roughly: this object and the span's share of the received bytes; shared resources not counted. */
	long estimatedBytes() {
		return 104L + length;
	}

}
