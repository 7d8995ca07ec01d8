package dev.vigil.telemetry.otlp;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the translator derived for a raw OTLP series identity — a context (resource identity + Prometheus metric
 * name, compared by identity) plus the data point's attributes exactly as sent — so that a series arriving every
 * export interval is sanitized, sorted and built once. Lookups hash and compare the decoded attribute strings in
 * place: no key string is built per data point. Bounded: when full it starts over, which only costs rebuilding.
 */
final class SeriesCache {

	private final int maxEntries;
	private final ConcurrentHashMap<Object, Object> contexts = new ConcurrentHashMap<>();
	private final ConcurrentHashMap<Object, Object> map = new ConcurrentHashMap<>();

	SeriesCache(int maxEntries) {
		this.maxEntries = maxEntries;
	}

	/** The canonical instance of a context key (a record), so entries can compare contexts by identity. */
	Object context(Object key) {
		Object c = contexts.get(key);
		if (c == null) {
			if (contexts.size() >= maxEntries) {
				contexts.clear();
			}
			c = contexts.computeIfAbsent(key, k -> k);
		}
		return c;
	}

	Object get(Object context, List<KeyValue> attrs) {
		return map.get(new Probe(context, attrs));
	}

	void put(Object context, List<KeyValue> attrs, Object value) {
		if (map.size() >= maxEntries) {
			map.clear();
		}
		map.put(new Key(context, attrs), value);
	}

	private static int hash(Object context, List<KeyValue> attrs) {
		int h = System.identityHashCode(context);
		for (int i = 0; i < attrs.size(); i++) {
			KeyValue kv = attrs.get(i);
			AnyValue v = kv.getValue();
			h = (h ^ kv.getKey().hashCode()) * 0x9E3779B1;
			h = (h ^ valueText(v).hashCode() ^ v.getValueCase().getNumber()) * 0x9E3779B1;
			h ^= h >>> 15;
		}
		return h;
	}

	private static void appendCounted(StringBuilder sb, String s) {
		sb.append((char) (s.length() >>> 16)).append((char) s.length()).append(s);
	}

	/** The position after {@code s} written by {@link #appendCounted} at {@code at}, or -1 when it is not there. */
	private static int matchCounted(String flat, int at, String s) {
		int end = at + 2 + s.length();
		if (end > flat.length() || flat.charAt(at) != (char) (s.length() >>> 16) || flat.charAt(at + 1) != (char) s.length()
				|| !flat.startsWith(s, at + 2)) {
			return -1;
		}
		return end;
	}

	private static String valueText(AnyValue v) {
		return v.getValueCase() == AnyValue.ValueCase.STRING_VALUE ? v.getStringValue()
				: MetricsTranslator.asString(v);
	}

	/**
	 * A stored identity: the context and the attributes flattened into one string (for each: key, value type, value,
	 * each string preceded by its length so no two attribute lists flatten alike), so that comparing a probe touches two objects instead of one per key and value: the entries live in
	 * the old generation, far apart, and at high rates the cache misses of a scattered key cost more than comparing.
	 */
	private static final class Key {

		final Object context;
		final String flat;
		final int count;
		final int hash;

		Key(Object context, List<KeyValue> attrs) {
			this.context = context;
			StringBuilder sb = new StringBuilder(64);
			for (int i = 0; i < attrs.size(); i++) {
				KeyValue kv = attrs.get(i);
				appendCounted(sb, kv.getKey());
				sb.append((char) kv.getValue().getValueCase().getNumber());
				appendCounted(sb, valueText(kv.getValue()));
			}
			this.flat = sb.toString();
			this.count = attrs.size();
			this.hash = SeriesCache.hash(context, attrs);
		}

		@Override
		public int hashCode() {
			return hash;
		}

		@Override
		public boolean equals(Object o) {
			if (o instanceof Probe p) {
				return p.equals(this);
			}
			return o instanceof Key k && k.context == context && k.hash == hash && k.flat.equals(flat);
		}

	}

	/** A lookup over the decoded attributes themselves, compared against stored keys without copying. */
	private static final class Probe {

		final Object context;
		final List<KeyValue> attrs;
		final int hash;

		Probe(Object context, List<KeyValue> attrs) {
			this.context = context;
			this.attrs = attrs;
			this.hash = SeriesCache.hash(context, attrs);
		}

		@Override
		public int hashCode() {
			return hash;
		}

		@Override
		public boolean equals(Object o) {
			if (!(o instanceof Key k) || k.context != context || k.hash != hash || k.count != attrs.size()) {
				return false;
			}
			String flat = k.flat;
			int at = 0;
			for (int i = 0; i < attrs.size() && at >= 0; i++) {
				KeyValue kv = attrs.get(i);
				at = matchCounted(flat, at, kv.getKey());
				if (at < 0 || at >= flat.length() || flat.charAt(at) != (char) kv.getValue().getValueCase().getNumber()) {
					return false;
				}
				at = matchCounted(flat, at + 1, valueText(kv.getValue()));
			}
			return at == flat.length();
		}

	}

}
