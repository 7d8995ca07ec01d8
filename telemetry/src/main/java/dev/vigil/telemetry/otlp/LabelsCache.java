package dev.vigil.telemetry.otlp;

import dev.vigil.telemetry.tsdb.Labels;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Remembers the label set built for a raw OTLP identity (metric name, resource identity, attributes as sent), so a
 * series that arrives every export interval is sanitized, sorted and built once, and the storage sees the same
 * {@link Labels} instance (cached hash, identity equality). Bounded: when full it starts over, which only costs
 * rebuilding.
 */
final class LabelsCache {

	private final int maxEntries;
	private final ConcurrentHashMap<String, Labels> map = new ConcurrentHashMap<>();

	LabelsCache(int maxEntries) {
		this.maxEntries = maxEntries;
	}

	Labels get(String key, Supplier<Labels> build) {
		Labels l = map.get(key);
		if (l == null) {
			l = build.get();
			if (map.size() >= maxEntries) {
				map.clear();
			}
			map.put(key, l);
		}
		return l;
	}

}
