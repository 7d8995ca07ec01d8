package dev.vigil.telemetry.rules;

import dev.vigil.telemetry.tsdb.Labels;
import dev.vigil.telemetry.tsdb.Matcher;
import dev.vigil.telemetry.tsdb.SeriesData;
import dev.vigil.telemetry.tsdb.StaleNaN;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code alert:} rules with {@code for} and {@code keep_firing_for}, following Prometheus's
 * {@code rules/alerting.go} state machine: new results start pending, become firing after {@code for}, and turn
 * inactive (resolved) when they drop out of the result, unless {@code keep_firing_for} holds them; resolved alerts
 * are kept for 15 minutes so that resolution can be notified.
 */
final class AlertingRule extends Rule {

	static final String ALERTS = "ALERTS";

	static final String ALERTS_FOR_STATE = "ALERTS_FOR_STATE";

	private static final long RESOLVED_RETENTION_MS = 15 * 60 * 1000;

	final long forMillis;
	final long keepFiringForMillis;
	final Map<String, String> annotations;
	private final Map<String, Template> labelTemplates = new LinkedHashMap<>();
	private final Map<String, Template> annotationTemplates = new LinkedHashMap<>();
	// keyed by the alert's labels; guarded by this
	private final Map<Labels, Alert> active = new LinkedHashMap<>();
	// false from a start with state restore until ForStateRestore ran: no ALERTS / ALERTS_FOR_STATE samples
	private boolean restored = true;

	AlertingRule(String alert, String expr, long forMillis, long keepFiringForMillis, Map<String, String> labels,
			Map<String, String> annotations) {
		super(alert, expr, labels);
		this.forMillis = forMillis;
		this.keepFiringForMillis = keepFiringForMillis;
		this.annotations = annotations;
		labels.forEach((k, v) -> labelTemplates.put(k, Template.parse(v)));
		annotations.forEach((k, v) -> annotationTemplates.put(k, Template.parse(v)));
	}

	@Override
	synchronized List<Sample> eval(long ts, QueryFunc query, Template.Data base) {
		List<Sample> result = query.query(expr, ts);
		Map<Labels, Alert> fresh = new HashMap<>();
		for (Sample s : result) {
			Template.Data data = new Template.Data(s.labels().toMap(), base.externalLabels(), base.externalURL(),
					s.value());
			Labels.Builder b = s.labels().toBuilder().delete(Labels.METRIC_NAME);
			labelTemplates.forEach((k, t) -> b.set(k, t.expand(data)));
			b.set("alertname", name);
			Labels l = b.build();
			Map<String, String> ann = new LinkedHashMap<>();
			annotationTemplates.forEach((k, t) -> ann.put(k, t.expand(data)));
			if (fresh.containsKey(l)) {
				throw new IllegalStateException("vector contains metrics with the same labelset after applying alert labels");
			}
			fresh.put(l, new Alert(expr, l, ann, s.value(), ts));
		}
		for (Alert a : fresh.values()) {
			Alert existing = active.get(a.labels);
			if (existing != null && existing.state != Alert.State.INACTIVE) {
				existing.value = a.value;
				existing.annotations = a.annotations;
				continue;
			}
			active.put(a.labels, a);
		}
		List<Sample> out = new ArrayList<>();
		for (Iterator<Alert> it = active.values().iterator(); it.hasNext();) {
			Alert a = it.next();
			if (!fresh.containsKey(a.labels)) {
				boolean keepFiring = false;
				if (a.state == Alert.State.FIRING && keepFiringForMillis > 0) {
					if (a.keepFiringSince == 0) {
						a.keepFiringSince = ts;
					}
					keepFiring = ts - a.keepFiringSince < keepFiringForMillis;
				}
				if (!keepFiring) {
					if (a.state == Alert.State.PENDING
							|| (a.resolvedAt != 0 && ts - a.resolvedAt > RESOLVED_RETENTION_MS)) {
						it.remove();
					}
					if (a.state != Alert.State.INACTIVE) {
						a.state = Alert.State.INACTIVE;
						a.resolvedAt = ts;
					}
					continue;
				}
			}
			else if (a.state != Alert.State.INACTIVE) {
				a.keepFiringSince = 0;
			}
			if (a.state == Alert.State.PENDING && ts - a.activeAt >= forMillis) {
				a.state = Alert.State.FIRING;
				a.firedAt = ts;
			}
			if (!restored) {
				// as Prometheus's Eval before restoration: the alert is tracked (so it can be restored) but does not
				// overwrite the stored ALERTS_FOR_STATE the restore is about to read
				continue;
			}
			out.add(new Sample(a.labels.toBuilder().set(Labels.METRIC_NAME, ALERTS).set("alertstate", a.state.apiName())
				.build(), 1));
			out.add(new Sample(a.labels.toBuilder().set(Labels.METRIC_NAME, ALERTS_FOR_STATE).build(),
					Math.floorDiv(a.activeAt, 1000)));
		}
		return out;
	}

	/** Holds back the state series until {@link #restoreForState} (a start that restores state). */
	synchronized void awaitRestore() {
		restored = false;
	}

	/**
	 * Prometheus's {@code Group.RestoreForState} for this rule (after prometheus/prometheus#19882, which restores
	 * firing alerts of rules whose {@code for} is shorter than the grace period too): every alert active now gets back
	 * the activeAt of its last {@code ALERTS_FOR_STATE} sample in {@code [ts - outage tolerance, ts]}, moved forward by
	 * the outage so that downtime does not count as pending time, but leaving at least the grace period before it fires.
	 */
	synchronized void restoreForState(long ts, ForStateRestore config) {
		try {
			if (active.isEmpty()) {
				return;
			}
			List<Matcher> matchers = new ArrayList<>();
			matchers.add(Matcher.equal(Labels.METRIC_NAME, ALERTS_FOR_STATE));
			matchers.add(Matcher.equal("alertname", name));
			Map<Labels, SeriesData> byLabels = new HashMap<>();
			for (SeriesData s : config.storage().select(ts - config.outageToleranceMillis(), ts, matchers)) {
				byLabels.put(s.labels().withoutMetricName(), s);
			}
			for (Alert a : active.values()) {
				SeriesData s = byLabels.get(a.labels);
				if (s == null || s.size() == 0) {
					continue; // no state within the outage tolerance: the alert starts over
				}
				double value = s.values()[s.size() - 1];
				if (StaleNaN.is(value)) {
					continue; // the alert had resolved before the restart
				}
				// second resolution, as Prometheus: time.Unix(t/1000, 0) and time.Unix(int64(v), 0)
				long downAt = Math.floorDiv(s.timestamps()[s.size() - 1], 1000) * 1000;
				long restoredActiveAt = (long) value * 1000;
				long remainingPending = forMillis - (downAt - restoredActiveAt);
				if (remainingPending <= 0) {
					// it was firing: the original activeAt makes the next evaluation fire it again
				}
				else if (forMillis < config.gracePeriodMillis()) {
					continue; // a short `for` restarts rather than waiting for the longer grace period
				}
				else if (remainingPending < config.gracePeriodMillis()) {
					// fire no earlier than one grace period after the restore
					restoredActiveAt = ts + config.gracePeriodMillis() - forMillis;
				}
				else {
					// the outage does not count as pending time
					restoredActiveAt += ts - downAt;
				}
				a.activeAt = restoredActiveAt;
			}
		}
		finally {
			restored = true;
		}
	}

	/** Pending, firing and recently resolved alerts. */
	synchronized List<Alert.Snapshot> alerts() {
		List<Alert.Snapshot> out = new ArrayList<>(active.size());
		for (Alert a : active.values()) {
			out.add(a.snapshot());
		}
		return out;
	}

	/** "inactive", "pending" or "firing": the most severe state among the rule's active alerts. */
	synchronized String state() {
		Alert.State max = Alert.State.INACTIVE;
		for (Alert a : active.values()) {
			if (a.state.ordinal() > max.ordinal()) {
				max = a.state;
			}
		}
		return max.apiName();
	}

}
