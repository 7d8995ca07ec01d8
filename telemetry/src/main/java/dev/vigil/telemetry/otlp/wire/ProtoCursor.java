package dev.vigil.telemetry.otlp.wire;

import com.google.protobuf.InvalidProtocolBufferException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A cursor over protobuf wire format in a byte array, for walking OTLP messages without building protobuf-java
 * objects: reads a tag, then the field's value or the bounds of its payload, and skips fields it is not asked about.
 * It reads what protobuf-java reads the same way (a tag or a length is the low 32 bits of its varint, groups are
 * skipped) and every read is bounds-checked against the limit, so truncated or malformed bytes fail with
 * {@link InvalidProtocolBufferException} and protobuf-java's message. Callers that would rather let protobuf-java
 * decide catch it and parse the bytes again. Not thread-safe.
 */
public final class ProtoCursor {

	public static final int VARINT = 0;

	public static final int FIXED64 = 1;

	public static final int LEN = 2;

	public static final int START_GROUP = 3;

	public static final int END_GROUP = 4;

	public static final int FIXED32 = 5;

	/** protobuf-java's default recursion limit, here for groups nested in the bytes this cursor walks. */
	private static final int MAX_GROUP_DEPTH = 100;

	private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class,
			ByteOrder.LITTLE_ENDIAN);

	public final byte[] buf;

	public int pos;

	private int limit;

	/** After {@link #payload()}: where the payload starts; {@link #pos} is then its end. */
	public int payloadStart;

	public ProtoCursor(byte[] buf, int offset, int length) {
		Objects.checkFromIndexSize(offset, length, buf.length);
		this.buf = buf;
		this.pos = offset;
		this.limit = offset + length;
	}

	/** The little-endian 64 bits at {@code at} (a fixed64 or double value, or one of a packed run of them). */
	public static long fixed64At(byte[] buf, int at) {
		return (long) LONG_LE.get(buf, at);
	}

	public boolean hasMore() {
		return pos < limit;
	}

	/** The next tag (field number << 3 | wire type); like protobuf, the low 32 bits of the varint. */
	public int tag() throws InvalidProtocolBufferException {
		int tag = (int) varint();
		if (tag >>> 3 == 0) {
			throw new InvalidProtocolBufferException("Protocol message contained an invalid tag (zero).");
		}
		return tag;
	}

	public long varint() throws InvalidProtocolBufferException {
		int p = pos;
		long result = 0;
		for (int shift = 0; shift < 64; shift += 7) {
			if (p >= limit) {
				throw truncated();
			}
			byte b = buf[p++];
			result |= (long) (b & 0x7f) << shift;
			if (b >= 0) {
				pos = p;
				return result;
			}
		}
		throw new InvalidProtocolBufferException("CodedInputStream encountered a malformed varint.");
	}

	public long fixed64() throws InvalidProtocolBufferException {
		if (limit - pos < 8) {
			throw truncated();
		}
		long value = fixed64At(buf, pos);
		pos += 8;
		return value;
	}

	/**
	 * Reads a length prefix and returns where the length-delimited field ends; the cursor is then at the start of its
	 * payload.
	 */
	public int lengthEnd() throws InvalidProtocolBufferException {
		int length = (int) varint(); // as protobuf reads lengths: the low 32 bits
		if (length < 0) {
			throw new InvalidProtocolBufferException("CodedInputStream encountered an embedded string or message "
					+ "which claimed to have negative size.");
		}
		if (length > limit - pos) {
			throw truncated();
		}
		return pos + length;
	}

	/** Reads a length-delimited field and moves past it: the payload is [payloadStart, pos); returns its length. */
	public int payload() throws InvalidProtocolBufferException {
		int end = lengthEnd();
		payloadStart = pos;
		pos = end;
		return end - payloadStart;
	}

	/** Skips the value of a field with the given tag. */
	public void skip(int tag) throws InvalidProtocolBufferException {
		switch (tag & 7) {
			case VARINT -> varint();
			case FIXED64 -> advance(8);
			case LEN -> pos = lengthEnd();
			case FIXED32 -> advance(4);
			case START_GROUP -> skipGroup(tag, 1);
			case END_GROUP -> throw unmatchedEndGroup(); // outside a group, or ending another field's
			default -> throw new InvalidProtocolBufferException("Protocol message tag had invalid wire type.");
		}
	}

	private void skipGroup(int tag, int depth) throws InvalidProtocolBufferException {
		if (depth > MAX_GROUP_DEPTH) {
			throw new InvalidProtocolBufferException("Protocol message had too many levels of nesting.");
		}
		int end = (tag & ~7) | END_GROUP;
		while (true) {
			if (!hasMore()) {
				throw unmatchedEndGroup(); // the group's end is missing
			}
			int inner = tag();
			if (inner == end) {
				return;
			}
			if ((inner & 7) == START_GROUP) {
				skipGroup(inner, depth + 1);
			}
			else {
				skip(inner);
			}
		}
	}

	private void advance(int bytes) throws InvalidProtocolBufferException {
		if (limit - pos < bytes) {
			throw truncated();
		}
		pos += bytes;
	}

	/** Narrows the cursor to a nested message ending at {@code end}; returns the limit to give {@link #leave}. */
	public int enter(int end) {
		int saved = limit;
		limit = end;
		return saved;
	}

	/** Moves past the nested message entered last and restores the enclosing limit. */
	public void leave(int savedLimit) {
		pos = limit;
		limit = savedLimit;
	}

	private static InvalidProtocolBufferException unmatchedEndGroup() {
		return new InvalidProtocolBufferException("Protocol message end-group tag did not match expected tag.");
	}

	private static InvalidProtocolBufferException truncated() {
		return new InvalidProtocolBufferException("While parsing a protocol message, the input ended unexpectedly "
				+ "in the middle of a field.  This could mean either that the input has been truncated or that an "
				+ "embedded message misreported its own length.");
	}

}
