package dev.vigil.remediator.engine;

import dev.vigil.remediator.action.Actuator;
import dev.vigil.remediator.audit.AuditLog;
import dev.vigil.remediator.audit.Decision;
import dev.vigil.remediator.audit.Decision.Outcome;
import dev.vigil.remediator.guard.ActionGuards;
import dev.vigil.remediator.policy.Policy;
import dev.vigil.remediator.policy.PolicySet;
import dev.vigil.remediator.webhook.Alert;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns alerts into decisions. For each firing alert, in order: skip repeats of a notification already handled (per
 * fingerprint and start time: Alertmanager re-sends on every repeat interval), find the first matching policy, skip
 * when a firing dependency alert explains the symptom, honour the kill switch, the guards and dry-run, then act. Every
 * path ends in exactly one audited {@link Decision}. Serialized: decisions depend on each other through the guards.
 */
public final class RemediationEngine {

	/** How many handled notifications are remembered for de-duplication; bounded like every store. */
	private static final int REMEMBERED_NOTIFICATIONS = 10_000;

	private final PolicySet policies;

	private final ActionGuards guards;

	private final Actuator actuator;

	private final AuditLog audit;

	private final Clock clock;

	private final ObservationRegistry observations;

	private final Map<String, Alert> firing = new LinkedHashMap<>();

	private final Set<String> handled = new LinkedHashSet<>();

	private volatile boolean killSwitch;

	public RemediationEngine(PolicySet policies, Actuator actuator, AuditLog audit, Clock clock,
			ObservationRegistry observations) {
		this.policies = policies;
		this.guards = new ActionGuards(policies.cooldown(), policies.window(), policies.maxActionsPerWindow(),
				policies.maxActionsPerTargetPerWindow());
		this.actuator = actuator;
		this.audit = audit;
		this.clock = clock;
		this.observations = observations;
	}

	public boolean killSwitch() {
		return killSwitch;
	}

	public void killSwitch(boolean engaged) {
		this.killSwitch = engaged;
	}

	public synchronized List<Decision> handle(List<Alert> alerts) {
		// Track what is firing first, so a dependency alert in the same notification explains its symptoms.
		for (Alert alert : alerts) {
			if (alert.firing()) {
				firing.put(alert.fingerprint(), alert);
			}
			else {
				firing.remove(alert.fingerprint());
			}
		}
		List<Decision> decisions = new ArrayList<>();
		for (Alert alert : alerts) {
			if (alert.firing()) {
				Decision decision = Observation.createNotStarted("vigil.remediation.decision", observations)
					.lowCardinalityKeyValue("alertname", alert.name())
					.observe(() -> decide(alert));
				audit.append(decision);
				decisions.add(decision);
			}
		}
		return decisions;
	}

	private Decision decide(Alert alert) {
		Instant now = clock.instant();
		String notification = alert.fingerprint() + "@" + alert.startsAt();
		if (!handled.add(notification)) {
			return decision(alert, null, null, Outcome.SKIPPED, "already handled this alert (repeat notification)", now);
		}
		if (handled.size() > REMEMBERED_NOTIFICATIONS) {
			handled.remove(handled.iterator().next());
		}
		Optional<Policy> match = policies.firstMatch(alert.labels());
		if (match.isEmpty()) {
			return decision(alert, null, null, Outcome.SKIPPED, "no policy matches", now);
		}
		Policy policy = match.get();
		Optional<String> target = policy.target(alert.labels());
		if (target.isEmpty()) {
			return decision(alert, policy, null, Outcome.SKIPPED, "alert has no " + policy.targetLabel() + " label to act on", now);
		}
		Optional<Alert> explanation = explainedBy(policy, alert);
		if (explanation.isPresent()) {
			return decision(alert, policy, target.get(), Outcome.SKIPPED,
					"explained by firing " + explanation.get().name() + "; acting on the symptom would not help", now);
		}
		if (policy.action() == dev.vigil.remediator.policy.ActionType.NOTIFY) {
			return decision(alert, policy, target.get(), Outcome.SKIPPED, "policy says notify only", now);
		}
		if (killSwitch) {
			return decision(alert, policy, target.get(), Outcome.SKIPPED, "kill switch engaged", now);
		}
		Optional<String> refusal = guards.refusal(target.get(), now);
		if (refusal.isPresent()) {
			return decision(alert, policy, target.get(), Outcome.SKIPPED, refusal.get(), now);
		}
		if (policy.action() == dev.vigil.remediator.policy.ActionType.RESTART) {
			// After the guards' check but before they count an action: deferring to a supervisor that is already on it
			// must not use up the target's budget.
			Optional<String> pointless = actuator.restartPointless(target.get());
			if (pointless.isPresent()) {
				return decision(alert, policy, target.get(), Outcome.SKIPPED, pointless.get(), now);
			}
		}
		guards.record(target.get(), now);
		if (policies.dryRun()) {
			return decision(alert, policy, target.get(), Outcome.DRY_RUN, "dry run: would " + describe(policy, target.get()), now);
		}
		try {
			switch (policy.action()) {
				case RESTART -> actuator.restart(target.get());
				case SCALE -> actuator.scale(target.get(), policy.replicas());
				case DISABLE_CHAOS -> actuator.disableChaos(target.get());
				default -> throw new IllegalStateException("unhandled action " + policy.action());
			}
			return decision(alert, policy, target.get(), Outcome.ACTED,
					describe(policy, target.get()) + " via " + actuator.platform(), now);
		}
		catch (UnsupportedOperationException ex) {
			return decision(alert, policy, target.get(), Outcome.SKIPPED, "not supported by the " + actuator.platform()
					+ " actuator: " + ex.getMessage(), now);
		}
		catch (RuntimeException ex) {
			return decision(alert, policy, target.get(), Outcome.FAILED, ex.getMessage(), now);
		}
	}

	private Optional<Alert> explainedBy(Policy policy, Alert symptom) {
		return firing.values()
			.stream()
			.filter(other -> !other.fingerprint().equals(symptom.fingerprint()))
			.filter(other -> policy.unlessFiring().stream().anyMatch(matcher -> matcher.matches(other.labels())))
			.findFirst();
	}

	private static String describe(Policy policy, String target) {
		return switch (policy.action()) {
			case SCALE -> "scale " + target + " to " + policy.replicas();
			default -> policy.action().yamlName() + " " + target;
		};
	}

	private static Decision decision(Alert alert, Policy policy, String target, Outcome outcome, String reason,
			Instant now) {
		return new Decision(now, alert.name(), alert.fingerprint(), policy == null ? null : policy.name(),
				policy == null ? null : policy.action().yamlName(), target, outcome, reason);
	}

}
