package dev.vigil.telemetry.traces;

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

}
