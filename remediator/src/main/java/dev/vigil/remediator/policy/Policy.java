package dev.vigil.remediator.policy;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One rule: alerts matching {@code match} get {@code action} on the target named by the alert's {@code targetLabel}
 * (a leading "vigil-" is dropped, so job="vigil-orders" targets "orders"), unless an alert matching one of
 * {@code unlessFiring} is firing too — then a dependency explains the symptom and acting on the symptom would not help.
 */
public record Policy(String name, LabelMatcher match, ActionType action, String targetLabel, int replicas,
		List<LabelMatcher> unlessFiring) {

	public Optional<String> target(Map<String, String> labels) {
		String value = labels.get(targetLabel);
		if (value == null || value.isBlank()) {
			return Optional.empty();
		}
		return Optional.of(value.startsWith("vigil-") ? value.substring("vigil-".length()) : value);
	}

}
