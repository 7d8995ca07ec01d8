package dev.vigil.telemetry.rules;

import java.util.List;

/** Receives, after every group evaluation, the group's firing and recently resolved alerts (the notifier). */
@FunctionalInterface
public interface AlertListener {

	AlertListener NONE = (group, ts, alerts) -> {
	};

	void onEvaluation(RuleGroup group, long evaluationMillis, List<Alert.Snapshot> alerts);

}
