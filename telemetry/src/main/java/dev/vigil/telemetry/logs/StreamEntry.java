package dev.vigil.telemetry.logs;

import java.util.Map;

/**
 * One stream (its index labels) together with the resource's other attributes, which Loki keeps as structured
 * metadata. Interning them together means a record stores one int for both; the entry is dropped when its last
 * record is evicted, so the table never outgrows the records.
 */
final class StreamEntry {

	final int id;

	/** Sorted index labels: service_name, level, deployment_environment, job. */
	final Map<String, String> labels;

	/** Resource metadata as name/value pairs (names sanitized), sorted by name. */
	final String[] resourceMetadata;

	long records;

	long minTime = Long.MAX_VALUE;

	long maxTime = Long.MIN_VALUE;

	StreamEntry(int id, Map<String, String> labels, String[] resourceMetadata) {
		this.id = id;
		this.labels = labels;
		this.resourceMetadata = resourceMetadata;
	}

}
