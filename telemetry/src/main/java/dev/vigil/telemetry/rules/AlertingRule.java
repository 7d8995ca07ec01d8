package dev.vigil.telemetry.rules;

import dev.vigil.telemetry.tsdb.Labels;
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
			out.add(new Sample(a.labels.toBuilder().set(Labels.METRIC_NAME, ALERTS).set("alertstate", a.state.apiName())
				.build(), 1));
			out.add(new Sample(a.labels.toBuilder().set(Labels.METRIC_NAME, ALERTS_FOR_STATE).build(),
					Math.floorDiv(a.activeAt, 1000)));
		}
		return out;
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
