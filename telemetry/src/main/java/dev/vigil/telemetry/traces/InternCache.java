package dev.vigil.telemetry.traces;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Canonical instances of short strings (attribute names, span names, low-cardinality values), so that a million
 * spans do not hold a million copies of "http.route". Direct-mapped, like a CPU cache: a string's hash picks one
 * slot, which holds the last string seen there. A repeated string finds itself; a unique one (an order id) just
 * replaces the slot's occupant, so the cache never grows and a stream of unique values cannot fill it for good (a
 * bounded map once full stops interning new names; one lookup here is a hash, one array read and one equals).
 * Concurrent use is safe without locks: a slot holds a complete, immutable String or null, and a lost update only
 * costs one copy of a string.
 */
final class InternCache {

	private static final int MAX_LENGTH = 64;

	private final String[] slots;

	private final int mask;

	/** @param size slots, a power of two */
	InternCache(int size) {
		if (Integer.bitCount(size) != 1) {
			throw new IllegalArgumentException("size must be a power of two: " + size);
		}
		slots = new String[size];
		mask = size - 1;
	}

	String intern(String text) {
		if (text.length() > MAX_LENGTH) {
			return text;
		}
		int hash = text.hashCode();
		int slot = (hash ^ hash >>> 16) & mask;
		String known = slots[slot];
		if (known != null && known.equals(text)) {
			return known;
		}
		slots[slot] = text;
		return text;
	}


	/**
	 * The canonical string for UTF-8 bytes, found without decoding them when they are short ASCII (attribute names and
	 * common values are): a hit allocates nothing. Invalid UTF-8 is refused, as protobuf refuses it in string fields.
	 */
	String intern(byte[] buf, int offset, int length) throws InvalidProtocolBufferException {
		if (length > MAX_LENGTH) {
			return utf8(buf, offset, length);
		}
		int hash = 0;
		for (int i = offset; i < offset + length; i++) {
			byte b = buf[i];
			if (b < 0) {
				return intern(utf8(buf, offset, length));
			}
			hash = 31 * hash + b; // String.hashCode of the same (ASCII) text
		}
		int slot = (hash ^ hash >>> 16) & mask;
		String known = slots[slot];
		if (known != null && sameAscii(known, buf, offset, length)) {
			return known;
		}
		String text = new String(buf, offset, length, StandardCharsets.ISO_8859_1);
		slots[slot] = text;
		return text;
	}

	private static boolean sameAscii(String known, byte[] buf, int offset, int length) {
		if (known.length() != length) {
			return false;
		}
		for (int i = 0; i < length; i++) {
			if (known.charAt(i) != buf[offset + i]) {
				return false;
			}
		}
		return true;
	}

	/** Strictly decoded UTF-8: malformed input is an error, not replacement characters. */
	static String utf8(byte[] buf, int offset, int length) throws InvalidProtocolBufferException {
		requireUtf8(buf, offset, length);
		return new String(buf, offset, length, StandardCharsets.UTF_8);
	}

	/** Fails unless the bytes are valid UTF-8, as the protobuf parser requires of every string field. */
	static void requireUtf8(byte[] buf, int offset, int length) throws InvalidProtocolBufferException {
		for (int i = offset; i < offset + length; i++) {
			if (buf[i] < 0) {
				try {
					StandardCharsets.UTF_8.newDecoder()
						.onMalformedInput(CodingErrorAction.REPORT)
						.onUnmappableCharacter(CodingErrorAction.REPORT)
						.decode(ByteBuffer.wrap(buf, offset, length));
				}
				catch (CharacterCodingException e) {
					throw new InvalidProtocolBufferException("protocol message had invalid UTF-8");
				}
				return;
			}
		}
	}

}
