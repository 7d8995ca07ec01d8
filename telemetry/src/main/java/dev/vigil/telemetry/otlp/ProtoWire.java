package dev.vigil.telemetry.otlp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A cursor over protobuf wire-format bytes, for walking OTLP metrics without building messages. It reads only what
 * protobuf-java reads the same way; anything else (malformed bytes, groups, oversized tags) throws
 * {@link #UNWALKABLE}, and the caller hands the bytes to protobuf-java, which decides. Not thread-safe.
 */
final class ProtoWire {

	static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

	static final int VARINT = 0;
	static final int FIXED64 = 1;
	static final int LEN = 2;
	static final int FIXED32 = 5;

	/** The bytes are not something this cursor walks; a preallocated signal, not an error report. */
	static final class Unwalkable extends RuntimeException {

		private static final long serialVersionUID = 1L;

		private Unwalkable() {
			super("not walkable", null, false, false);
		}

	}

	static final Unwalkable UNWALKABLE = new Unwalkable();

	final byte[] buf;
	int pos;
	int limit;

	ProtoWire(byte[] buf, int offset, int length) {
		if (offset < 0 || length < 0 || offset + length > buf.length) {
			throw new IndexOutOfBoundsException("offset " + offset + ", length " + length + " of " + buf.length);
		}
		this.buf = buf;
		this.pos = offset;
		this.limit = offset + length;
	}

	boolean more() {
		return pos < limit;
	}

	/** The next tag (field number << 3 | wire type). */
	int tag() {
		long t = varint();
		// protobuf-java rejects field number 0; tags beyond 32 bits are not real fields
		if ((t >>> 3) == 0 || (t >>> 32) != 0) {
			throw UNWALKABLE;
		}
		return (int) t;
	}

	long varint() {
		int p = pos;
		long result = 0;
		for (int shift = 0; shift < 70; shift += 7) {
			if (p >= limit) {
				throw UNWALKABLE;
			}
			byte b = buf[p++];
			result |= (long) (b & 0x7f) << shift;
			if (b >= 0) {
				pos = p;
				return result;
			}
		}
		throw UNWALKABLE;
	}

	long fixed64() {
		if (limit - pos < 8) {
			throw UNWALKABLE;
		}
		long v = (long) LONG_LE.get(buf, pos);
		pos += 8;
		return v;
	}

	/** Reads a length prefix; returns where the length-delimited field ends (the cursor is at its start). */
	int lengthEnd() {
		long n = varint();
		if (n < 0 || n > limit - pos) {
			throw UNWALKABLE;
		}
		return pos + (int) n;
	}

	/** Skips the value of a field of the given wire type. */
	void skip(int wireType) {
		switch (wireType) {
			case VARINT -> varint();
			case FIXED64 -> skipBytes(8);
			case LEN -> pos = lengthEnd();
			case FIXED32 -> skipBytes(4);
			default -> throw UNWALKABLE;
		}
	}

	private void skipBytes(int n) {
		if (limit - pos < n) {
			throw UNWALKABLE;
		}
		pos += n;
	}

	/** Narrows the cursor to a nested message ending at {@code end}; returns the limit to restore afterwards. */
	int enter(int end) {
		int saved = limit;
		limit = end;
		return saved;
	}

	void leave(int savedLimit) {
		pos = limit;
		limit = savedLimit;
	}

}
