package dev.vigil.telemetry.logs;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The labels of one line while a pipeline runs: stream labels, then structured metadata, then extracted labels.
 * Stream labels win; an extracted label named like a stream label gets the suffix "_extracted" (Loki's rule).
 */
final class LabelSet {

	private final Map<String, String> stream;

	/** Unsorted while the pipeline runs; sorted only for the lines and series that make it into a result. */
	private final HashMap<String, String> labels;

	LabelSet(Map<String, String> stream) {
		this.stream = stream;
		this.labels = new HashMap<>(32);
		this.labels.putAll(stream);
	}

	void putMetadata(String name, String value) {
		if (!stream.containsKey(name)) {
			labels.put(name, value);
		}
	}

	void putExtracted(String name, String value) {
		labels.put(stream.containsKey(name) ? name + "_extracted" : name, value);
	}

	void put(String name, String value) {
		labels.put(name, value);
	}

	String get(String name) {
		return labels.get(name);
	}

	/** The labels, unsorted; do not modify. */
	Map<String, String> view() {
		return labels;
	}

	/** A sorted copy. */
	TreeMap<String, String> sorted() {
		return new TreeMap<>(labels);
	}

}
