package dev.vigil.remediator.policy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole policy file: guards and the ordered policies (the first match wins).
 *
 * @param dryRun decide and audit, but never act
 * @param cooldown minimum time between two actions on the same target
 * @param window the window of the rate limits below
 * @param maxActionsPerWindow actions on all targets together within a window
 * @param maxActionsPerTargetPerWindow actions on one target within a window
 */
public record PolicySet(boolean dryRun, Duration cooldown, Duration window, int maxActionsPerWindow,
		int maxActionsPerTargetPerWindow, List<Policy> policies) {

	public Optional<Policy> firstMatch(Map<String, String> labels) {
		return policies.stream().filter(policy -> policy.match().matches(labels)).findFirst();
	}

}
