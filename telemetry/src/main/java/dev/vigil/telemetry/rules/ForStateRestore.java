package dev.vigil.telemetry.rules;

import dev.vigil.telemetry.tsdb.Queryable;
import java.time.Duration;

/**
 * Restores the {@code for} state of pending and firing alerts after a restart from the {@code ALERTS_FOR_STATE} series
 * the previous process wrote (value: the alert's activeAt in seconds), as Prometheus's {@code Group.RestoreForState}
 * does. Without it a restart would reset every pending alert's clock, and an alert that keeps restarting would never
 * fire.
 *
 * <p>A group restores once, after its second evaluation following the start (by then recording rules have produced
 * fresh values the alerts may depend on); until then its alerting rules write no {@code ALERTS} /
 * {@code ALERTS_FOR_STATE} samples, so the stored state is not overwritten before it is read.
 *
 * @param storage where the previous process's {@code ALERTS_FOR_STATE} samples are (the persisted tsdb)
 * @param outageToleranceMillis state is restored only if the alert's last {@code ALERTS_FOR_STATE} sample is at most
 * this old ({@code --rules.alert.for-outage-tolerance}, default 1h); older state is ignored and the alert starts over
 * @param gracePeriodMillis minimum time between the restore and a restored pending alert firing
 * ({@code --rules.alert.for-grace-period}, default 10m), so that data scraped after a restart can settle first
 */
public record ForStateRestore(Queryable storage, long outageToleranceMillis, long gracePeriodMillis) {

	public static final Duration DEFAULT_OUTAGE_TOLERANCE = Duration.ofHours(1);

	public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofMinutes(10);

	/** Group evaluations after the start before the restore, as Prometheus's {@code Group.run}. */
	static final int EVALUATIONS_BEFORE_RESTORE = 2;

	public ForStateRestore {
		if (storage == null) {
			throw new IllegalArgumentException("storage is required");
		}
		if (outageToleranceMillis < 0 || gracePeriodMillis < 0) {
			throw new IllegalArgumentException("outage tolerance and grace period must not be negative");
		}
	}

	public ForStateRestore(Queryable storage, Duration outageTolerance, Duration gracePeriod) {
		this(storage, outageTolerance.toMillis(), gracePeriod.toMillis());
	}

	/** Prometheus's defaults: 1h outage tolerance, 10m grace period. */
	public static ForStateRestore withDefaults(Queryable storage) {
		return new ForStateRestore(storage, DEFAULT_OUTAGE_TOLERANCE, DEFAULT_GRACE_PERIOD);
	}

	/** Restores every alerting rule of {@code group} at {@code ts} (ms) and lets them fire and write state again. */
	void restore(RuleGroup group, long ts) {
		for (Rule r : group.rules) {
			if (r instanceof AlertingRule a) {
				a.restoreForState(ts, this);
			}
		}
	}

}
