package dev.vigil.telemetry.traces;

/**
 * What a search can learn about a whole trace without reading its spans: a Bloom filter over the (attribute name,
 * value) pairs and span names of all its spans, which statuses occur and the longest span. A search whose filter
 * requires, say, {@code span.user.id = "u4242"} skips every trace whose filter lacks that pair, so a query that must
 * otherwise test each of a million spans tests only the few traces that may match (false positives, about 1 in 100
 * for a ten-span trace, are then rejected by the span filter itself). A fixed 512 bits per trace: a few bytes per
 * span; a trace with hundreds of spans saturates its filter and is simply always scanned.
 */
final class TraceDigest {

	private static final int WORDS = 8;

	/** Distinguishes a span name from an attribute of the same text. */
	static final String NAME_KEY = "\0name";

	private final long[] bloom = new long[WORDS];

	private int statuses;

	private long maxDurationNanos = Long.MIN_VALUE;

	/** The resource last added (identity), not to add the same resource's pairs for each of its spans. */
	private StoredResource lastResource;

	/**
	 * Records a span: its name, status, duration and attributes (span and resource alike, for {@code .x}), the span's
	 * attribute pairs given as their {@link #hash}es (computed by the decoder).
	 */
	void add(StoredSpan span, long[] pairHashes, int from, int to) {
		addPair(NAME_KEY, span.name());
		statuses |= 1 << span.statusCode();
		maxDurationNanos = Math.max(maxDurationNanos, span.durationNanos());
		for (int i = from; i < to; i++) {
			addHash(pairHashes[i]);
		}
		// the spans of one resource share one object: its pairs need adding once per trace, usually
		if (span.storedResource() != lastResource) {
			lastResource = span.storedResource();
			for (long hash : lastResource.pairHashes) {
				addHash(hash);
			}
		}
	}

	void addPair(String key, String value) {
		addHash(hash(key, value));
	}

	private void addHash(long hash) {
		bloom[(int) (hash >>> 6) & (WORDS - 1)] |= 1L << hash;
		bloom[(int) (hash >>> 38) & (WORDS - 1)] |= 1L << (hash >>> 32);
	}

	/** False only if no span of the trace has attribute (or, with {@link #NAME_KEY}, name) {@code key = value}. */
	boolean mayContain(String key, String value) {
		long hash = hash(key, value);
		return (bloom[(int) (hash >>> 6) & (WORDS - 1)] & 1L << hash) != 0
				&& (bloom[(int) (hash >>> 38) & (WORDS - 1)] & 1L << (hash >>> 32)) != 0;
	}

	boolean mayHaveStatus(int statusCode) {
		return (statuses & 1 << statusCode) != 0;
	}

	long maxDurationNanos() {
		return maxDurationNanos;
	}

	static long bytes() {
		return 16 + 8 * WORDS + 16 + 4 + 8 + 4;
	}

	/** String hashes are cached in the strings (interned ones are hashed once); the mix spreads them over 64 bits. */
	static long hash(String key, String value) {
		long h = key.hashCode() * 0x9E3779B97F4A7C15L + value.hashCode();
		h ^= h >>> 33;
		h *= 0xff51afd7ed558ccdL;
		h ^= h >>> 33;
		h *= 0xc4ceb9fe1a85ec53L;
		return h ^ h >>> 33;
	}

}
