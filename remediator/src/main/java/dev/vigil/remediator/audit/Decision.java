package dev.vigil.remediator.audit;

import java.time.Instant;

/**
 * One thing the remediator decided about one alert — acted or not, and why. The audit log is a sequence of these.
 *
 * @param outcome what happened
 * @param reason a sentence for humans: why it acted, or why not
 */
public record Decision(Instant at, String alertname, String fingerprint, String policy, String action, String target,
		Outcome outcome, String reason) {

	/** What came of an alert. */
	public enum Outcome {

		ACTED, DRY_RUN, SKIPPED, FAILED

	}

}
