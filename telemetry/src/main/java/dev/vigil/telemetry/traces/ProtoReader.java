package dev.vigil.telemetry.traces;

import com.google.protobuf.InvalidProtocolBufferException;

/**
 * A cursor over protobuf wire format in a byte array, for walking OTLP messages without building objects: reads a
 * tag, then the field's value or the bounds of its payload, and skips fields it is not asked about. Every read is
 * bounds-checked against the limit, so a truncated or malformed message fails with
 * {@link InvalidProtocolBufferException}, as the protobuf library's own parser does.
 */
final class ProtoReader {

	static final int VARINT = 0;

	static final int FIXED64 = 1;

	static final int LEN = 2;

	static final int START_GROUP = 3;

	static final int END_GROUP = 4;

	static final int FIXED32 = 5;

	final byte[] buf;

	int pos;

	final int limit;

	/** After {@link #payload()}: where the payload starts; {@link #pos} is then its end. */
	int payloadStart;

	ProtoReader(byte[] buf, int offset, int length) {
		this.buf = buf;
		this.pos = offset;
		this.limit = offset + length;
	}

	boolean hasMore() {
		return pos < limit;
	}

	/** The next tag (field number << 3 | wire type); like protobuf, the low 32 bits of the varint. */
	int tag() throws InvalidProtocolBufferException {
		int tag = (int) varint();
		if (tag >>> 3 == 0) {
			throw new InvalidProtocolBufferException("protocol message contained an invalid tag (zero)");
		}
		return tag;
	}

	long varint() throws InvalidProtocolBufferException {
		long result = 0;
		for (int shift = 0; shift < 64; shift += 7) {
			if (pos >= limit) {
				throw truncated();
			}
			byte b = buf[pos++];
			result |= (long) (b & 0x7f) << shift;
			if (b >= 0) {
				return result;
			}
		}
		throw new InvalidProtocolBufferException("protocol message contained a malformed varint");
	}

	long fixed64() throws InvalidProtocolBufferException {
		if (limit - pos < 8) {
			throw truncated();
		}
		long value = 0;
		for (int i = 7; i >= 0; i--) {
			value = value << 8 | (buf[pos + i] & 0xffL);
		}
		pos += 8;
		return value;
	}

	/** Reads a length-delimited field's length and skips its payload: the payload is [payloadStart, pos). */
	int payload() throws InvalidProtocolBufferException {
		int length = (int) varint(); // as protobuf reads lengths: the low 32 bits
		if (length < 0) {
			throw new InvalidProtocolBufferException("CodedInputStream encountered an embedded string or message "
					+ "which claimed to have negative size");
		}
		if (length > limit - pos) {
			throw truncated();
		}
		payloadStart = pos;
		pos += length;
		return length;
	}

	/** Skips the value of a field with the given tag. */
	void skip(int tag) throws InvalidProtocolBufferException {
		skip(tag, 0);
	}

	private void skip(int tag, int depth) throws InvalidProtocolBufferException {
		switch (tag & 7) {
			case VARINT -> varint();
			case FIXED64 -> advance(8);
			case LEN -> payload();
			case FIXED32 -> advance(4);
			case START_GROUP -> {
				if (depth > 100) {
					throw new InvalidProtocolBufferException("protocol message had too many levels of nesting");
				}
				int end = (tag & ~7) | END_GROUP;
				while (true) {
					if (!hasMore()) {
						throw truncated();
					}
					int inner = tag();
					if (inner == end) {
						return;
					}
					skip(inner, depth + 1);
				}
			}
			default -> throw new InvalidProtocolBufferException(
					"protocol message tag had invalid wire type " + (tag & 7));
		}
	}

	private void advance(int bytes) throws InvalidProtocolBufferException {
		if (limit - pos < bytes) {
			throw truncated();
		}
		pos += bytes;
	}

	private static InvalidProtocolBufferException truncated() {
		return new InvalidProtocolBufferException(
				"while parsing a protocol message, the input ended unexpectedly in the middle of a field");
	}

}
