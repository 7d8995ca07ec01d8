package dev.vigil.telemetry.logs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Interned stream entries by id, with ids reused once an entry has no records left. Guarded by the store's lock. */
final class StreamTable {

	private record Key(Map<String, String> labels, List<String> resourceMetadata) {

	}

	private final Map<Key, StreamEntry> byKey = new HashMap<>();

	private final ArrayList<StreamEntry> byId = new ArrayList<>();

	private final ArrayDeque<Integer> freeIds = new ArrayDeque<>();

	StreamEntry intern(Map<String, String> labels, String[] resourceMetadata) {
		Key key = new Key(labels, Arrays.asList(resourceMetadata));
		StreamEntry entry = byKey.get(key);
		if (entry == null) {
			Integer free = freeIds.poll();
			int id = free == null ? byId.size() : free;
			entry = new StreamEntry(id, labels, resourceMetadata);
			if (free == null) {
				byId.add(entry);
			}
			else {
				byId.set(id, entry);
			}
			byKey.put(key, entry);
		}
		return entry;
	}

	/** Whether the entry is still in the table (not dropped after its last record went). */
	boolean isLive(StreamEntry entry) {
		return entry.id < byId.size() && byId.get(entry.id) == entry;
	}

	StreamEntry get(int id) {
		return byId.get(id);
	}

	/** Called when a record of the entry is evicted. */
	void release(int id) {
		StreamEntry entry = byId.get(id);
		if (--entry.records == 0) {
			byKey.remove(new Key(entry.labels, Arrays.asList(entry.resourceMetadata)));
			byId.set(id, null);
			freeIds.add(id);
		}
	}

	/** Live entries (those with records). */
	List<StreamEntry> live() {
		return byId.stream().filter(Objects::nonNull).toList();
	}

	int capacity() {
		return byId.size();
	}

	int size() {
		return byKey.size();
	}

}
