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

	private static String valueText(AnyValue v) {
		return v.getValueCase() == AnyValue.ValueCase.STRING_VALUE ? v.getStringValue()
				: MetricsTranslator.asString(v);
	}

	/** A stored identity: the context and the attribute keys, value types and values as text. */
	private static final class Key {

		final Object context;
		final String[] parts;
		final int[] cases;
		final int hash;

		Key(Object context, List<KeyValue> attrs) {
			this.context = context;
			this.parts = new String[attrs.size() * 2];
			this.cases = new int[attrs.size()];
			for (int i = 0; i < attrs.size(); i++) {
				KeyValue kv = attrs.get(i);
				parts[2 * i] = kv.getKey();
				parts[2 * i + 1] = valueText(kv.getValue());
				cases[i] = kv.getValue().getValueCase().getNumber();
			}
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
			return o instanceof Key k && k.context == context && k.hash == hash
					&& java.util.Arrays.equals(k.parts, parts) && java.util.Arrays.equals(k.cases, cases);
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
			if (!(o instanceof Key k) || k.context != context || k.hash != hash || k.cases.length != attrs.size()) {
				return false;
			}
			for (int i = 0; i < k.cases.length; i++) {
				KeyValue kv = attrs.get(i);
				AnyValue v = kv.getValue();
				if (v.getValueCase().getNumber() != k.cases[i] || !kv.getKey().equals(k.parts[2 * i])
						|| !valueText(v).equals(k.parts[2 * i + 1])) {
					return false;
				}
			}
			return true;
		}

	}

}
