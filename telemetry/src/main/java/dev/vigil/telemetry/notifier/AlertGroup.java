package dev.vigil.telemetry.notifier;

import dev.vigil.telemetry.tsdb.Labels;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The alerts sharing the values of the {@code group_by} labels, and when the group was last notified. */
final class AlertGroup {

	/** One alert as the notifier tracks it. */
	static final class Entry {

		Labels labels;
		Map<String, String> annotations;
		long startsAt;
		long endsAt;
		boolean resolved;
		String generatorURL;
		final String fingerprint;

		Entry(Labels labels, String fingerprint) {
			this.labels = labels;
			this.fingerprint = fingerprint;
		}

	}

	final Labels groupLabels;
	final String key;
	final Map<String, Entry> alerts = new LinkedHashMap<>();
	final long createdAt;
	long lastNotifiedAt = Long.MIN_VALUE;
	// the group's own timer, as Alertmanager's aggregation group: first at createdAt + group_wait, then every
	// group_interval after each flush, whether or not that flush sent anything
	long nextFlushAt;
	Set<String> lastFiring = new HashSet<>();

	AlertGroup(Labels groupLabels, long createdAt) {
		this.groupLabels = groupLabels;
		this.createdAt = createdAt;
		// Alertmanager's group key: the route's matchers ({} for the root route) and the group labels
		this.key = "{}:" + braces(groupLabels);
	}

	private static String braces(Labels l) {
		StringBuilder sb = new StringBuilder("{");
		for (int i = 0; i < l.size(); i++) {
			if (i > 0) {
				sb.append(", ");
			}
			sb.append(l.name(i)).append("=\"").append(l.value(i).replace("\"", "\\\"")).append('"');
		}
		return sb.append('}').toString();
	}

}
