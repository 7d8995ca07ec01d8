package dev.vigil.telemetry.rules;

import dev.vigil.telemetry.tsdb.Labels;
import java.util.Map;

/** One active (pending, firing) or recently resolved alert of an alerting rule. */
public final class Alert {

	/** Alert states, as Prometheus names them. */
	public enum State {

		INACTIVE, PENDING, FIRING;

		public String apiName() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

	final String expr;
	Labels labels;
	Map<String, String> annotations;
	State state = State.PENDING;
	double value;
	long activeAt;
	long firedAt;
	long resolvedAt;
	long keepFiringSince;
	long lastSentAt;
	long validUntil;

	Alert(String expr, Labels labels, Map<String, String> annotations, double value, long activeAt) {
		this.expr = expr;
		this.labels = labels;
		this.annotations = annotations;
		this.value = value;
		this.activeAt = activeAt;
	}

	/** A consistent copy for readers outside the rule's evaluation. */
	public Snapshot snapshot() {
		return new Snapshot(labels, annotations, state, value, activeAt, firedAt, resolvedAt, keepFiringSince, expr);
	}

	/**
	 * What the API and the notifier see.
	 *
	 * @param activeAtMillis when the alert became pending
	 * @param resolvedAtMillis when it resolved, 0 while active
	 * @param expr the rule's expression, for the generator URL
	 */
	public record Snapshot(Labels labels, Map<String, String> annotations, State state, double value,
			long activeAtMillis, long firedAtMillis, long resolvedAtMillis, long keepFiringSinceMillis, String expr) {
	}

}
