package dev.vigil.telemetry.traces;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Arrays;

/**
 * Parsed messages by their serialized bytes: every span batch of a service repeats the same resource and scope
 * bytes, so they are parsed once and the result shared. Direct-mapped like {@link InternCache} (a hash of the bytes
 * picks one slot holding the last message parsed there): bounded, and lock-free because a slot holds a complete,
 * immutable entry; a lost race costs one extra parse. A hit costs a hash and a comparison of the bytes.
 *
 * @param <T> the parsed form
 */
final class MessageCache<T> {

	@FunctionalInterface
	interface Parse<T> {

		T parse(byte[] serialized) throws InvalidProtocolBufferException;

	}

	private record Entry<T>(byte[] key, T value) {

	}

	private final Entry<T>[] slots;

	private final int mask;

	private final Parse<T> parse;

	/** @param size slots, a power of two */
	@SuppressWarnings("unchecked")
	MessageCache(int size, Parse<T> parse) {
		if (Integer.bitCount(size) != 1) {
			throw new IllegalArgumentException("size must be a power of two: " + size);
		}
		this.slots = new Entry[size];
		this.mask = size - 1;
		this.parse = parse;
	}

	T get(byte[] buf, int offset, int length) throws InvalidProtocolBufferException {
		int hash = 1;
		for (int i = offset; i < offset + length; i++) {
			hash = 31 * hash + buf[i];
		}
		int slot = (hash ^ hash >>> 16) & mask;
		Entry<T> entry = slots[slot];
		if (entry != null && Arrays.equals(entry.key, 0, entry.key.length, buf, offset, offset + length)) {
			return entry.value;
		}
		byte[] key = Arrays.copyOfRange(buf, offset, offset + length);
		T value = parse.parse(key);
		slots[slot] = new Entry<>(key, value);
		return value;
	}

}
