package dev.vigil.remediator.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.remediator.action.Actuator;
import dev.vigil.remediator.audit.AuditLog;
import dev.vigil.remediator.audit.Decision;
import dev.vigil.remediator.audit.Decision.Outcome;
import dev.vigil.remediator.policy.PolicyLoader;
import dev.vigil.remediator.policy.PolicySet;
import dev.vigil.remediator.webhook.Alert;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemediationEngineTest {

	private static final String POLICIES = """
			guards: {cooldown: 2m, window: 15m, maxActionsPerWindow: 5, maxActionsPerTargetPerWindow: 2}
			policies:
			  - name: restart-down
			    match: {alertname: InstanceDown}
			    action: restart
			    targetLabel: job
			    unlessFiring: [{alertname: PostgresDown}]
			  - name: tickets
			    match: {severity: ticket}
			    action: notify
			""";

	@TempDir
	Path dir;

	final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));

	final RecordingActuator actuator = new RecordingActuator();

	RemediationEngine engine(String yaml) {
		PolicySet policies = new PolicyLoader().load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
		return new RemediationEngine(policies, actuator, new AuditLog(dir.resolve("audit.jsonl"), 100, new SimpleMeterRegistry()),
				clock, ObservationRegistry.NOOP);
	}

	@Test
	void restartsTheServiceNamedByTheAlert() {
		List<Decision> decisions = engine(POLICIES).handle(List.of(down("vigil-orders", "a")));
		assertThat(decisions).singleElement().satisfies(decision -> {
			assertThat(decision.outcome()).isEqualTo(Outcome.ACTED);
			assertThat(decision.target()).isEqualTo("orders");
		});
		assertThat(actuator.restarted).containsExactly("orders");
	}

	@Test
	void aSecondAlertInsideTheCooldownIsSkippedAndSaysWhy() {
		RemediationEngine engine = engine(POLICIES);
		engine.handle(List.of(down("vigil-orders", "a")));
		clock.advance(Duration.ofSeconds(30));
		List<Decision> second = engine.handle(List.of(down("vigil-orders", "b")));
		assertThat(second).singleElement().satisfies(decision -> {
			assertThat(decision.outcome()).isEqualTo(Outcome.SKIPPED);
			assertThat(decision.reason()).startsWith("cooldown");
		});
		assertThat(actuator.restarted).hasSize(1);
		clock.advance(Duration.ofMinutes(2));
		assertThat(engine.handle(List.of(down("vigil-orders", "c")))).singleElement()
			.extracting(Decision::outcome).isEqualTo(Outcome.ACTED);
	}

	@Test
	void aStormOf100AlertsTriggersNoMoreThanTheConfiguredMaximum() {
		RemediationEngine engine = engine(POLICIES);
		List<Alert> storm = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			storm.add(down("vigil-service-" + (i % 20), "storm-" + i));
		}
		List<Decision> decisions = engine.handle(storm);
		assertThat(decisions).hasSize(100);
		assertThat(actuator.restarted).hasSize(5);
		assertThat(decisions).filteredOn(d -> d.outcome() == Outcome.SKIPPED).hasSize(95)
			.allSatisfy(d -> assertThat(d.reason()).matches("(rate limit|cooldown): .*"));
	}

	@Test
	void repeatedNotificationsOfTheSameAlertAreHandledOnce() {
		RemediationEngine engine = engine(POLICIES);
		Alert alert = down("vigil-orders", "same");
		engine.handle(List.of(alert));
		clock.advance(Duration.ofMinutes(10));
		assertThat(engine.handle(List.of(alert))).singleElement()
			.satisfies(d -> assertThat(d.reason()).contains("already handled"));
		assertThat(actuator.restarted).hasSize(1);
	}

	@Test
	void noActionWhileADependencyAlertExplainsTheSymptom() {
		RemediationEngine engine = engine(POLICIES);
		Alert postgres = new Alert("firing", Map.of("alertname", "PostgresDown", "severity", "page"), Map.of(),
				clock.instant(), null, null, "pg");
		List<Decision> decisions = engine.handle(List.of(postgres, down("vigil-orders", "a")));
		assertThat(decisions).filteredOn(d -> "InstanceDown".equals(d.alertname())).singleElement()
			.satisfies(d -> assertThat(d.reason()).contains("explained by firing PostgresDown"));
		assertThat(actuator.restarted).isEmpty();
	}

	@Test
	void dryRunAndKillSwitchDecideButNeverAct() {
		RemediationEngine dry = engine("dryRun: true\n" + POLICIES);
		assertThat(dry.handle(List.of(down("vigil-orders", "a")))).singleElement()
			.extracting(Decision::outcome).isEqualTo(Outcome.DRY_RUN);
		RemediationEngine killed = engine(POLICIES);
		killed.killSwitch(true);
		assertThat(killed.handle(List.of(down("vigil-users", "b")))).singleElement()
			.satisfies(d -> assertThat(d.reason()).isEqualTo("kill switch engaged"));
		assertThat(actuator.restarted).isEmpty();
	}

	@Test
	void aRestartThePlatformIsAlreadyDoingIsSkippedWithoutUsingUpTheGuards() {
		RemediationEngine engine = engine(POLICIES);
		actuator.pointless = "the supervisor is already (re)starting orders (state STARTING)";
		assertThat(engine.handle(List.of(down("vigil-orders", "a")))).singleElement().satisfies(d -> {
			assertThat(d.outcome()).isEqualTo(Outcome.SKIPPED);
			assertThat(d.reason()).contains("already (re)starting");
		});
		actuator.pointless = null;
		// no cooldown was started by the skipped decision: a real hang right after is still acted on
		assertThat(engine.handle(List.of(down("vigil-orders", "b")))).singleElement()
			.extracting(Decision::outcome).isEqualTo(Outcome.ACTED);
		assertThat(actuator.restarted).containsExactly("orders");
	}

	@Test
	void failuresOfTheActuatorAreAuditedAsFailed() {
		actuator.fail = true;
		assertThat(engine(POLICIES).handle(List.of(down("vigil-orders", "a")))).singleElement().satisfies(d -> {
			assertThat(d.outcome()).isEqualTo(Outcome.FAILED);
			assertThat(d.reason()).contains("launcher unreachable");
		});
	}

	private Alert down(String job, String fingerprint) {
		return new Alert("firing", Map.of("alertname", "InstanceDown", "job", job, "severity", "page"), Map.of(),
				clock.instant(), null, null, fingerprint);
	}

	static final class RecordingActuator implements Actuator {

		final List<String> restarted = new CopyOnWriteArrayList<>();

		volatile boolean fail;

		volatile String pointless;

		@Override
		public String platform() {
			return "test";
		}

		@Override
		public java.util.Optional<String> restartPointless(String target) {
			return java.util.Optional.ofNullable(pointless);
		}

		@Override
		public void restart(String target) {
			if (fail) {
				throw new IllegalStateException("launcher unreachable");
			}
			restarted.add(target);
		}

		@Override
		public void scale(String target, int replicas) {
		}

		@Override
		public void disableChaos(String target) {
		}

	}

	static final class MutableClock extends Clock {

		private Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		void advance(Duration duration) {
			now = now.plus(duration);
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return now;
		}

	}

}
