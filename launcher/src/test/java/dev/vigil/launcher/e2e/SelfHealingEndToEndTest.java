package dev.vigil.launcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.launcher.supervisor.ManagedProcess;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * Issue #7's self-healing loop on the whole stack, at the local demo time scale: a service hangs (SIGSTOP) or crashes
 * (kill -9) → InstanceDown fires in vigil-telemetry → its notifier posts to the remediator → the remediator restarts
 * the service through the launcher's supervisor → readiness returns → the alert resolves; the remediator's audit shows
 * each decision, and a second identical alert inside the cooldown is skipped and audited as such.
 *
 * <p>
 * The crash is a kill -9 under restart policy "never" for that incarnation (the launcher's {@code crash}): with the
 * supervisor's default policy a crashed JVM is back in about half a minute whatever the alerts say, which proves the
 * supervisor, not the alert-to-remediation path. The targets differ from the chaos suite's (payments) so that the
 * remediator's per-target cooldown does not couple the test classes.
 *
 * <p>
 * Deadlines are the targets, measured from the fault: detect within 60 s, recover (ready and the alert
 * resolved) within 120 s.
 */
@ExtendWith(SharedStack.Resolver.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SelfHealingEndToEndTest {

	private static final Duration DETECT = Duration.ofSeconds(60);

	private static final Duration RECOVER = Duration.ofSeconds(120);

	final SharedStack shop;

	SelfHealingEndToEndTest(SharedStack shop) {
		this.shop = shop;
	}

	@Test
	@Order(1)
	void aHungServiceIsDetectedRestartedByTheRemediatorAndTheAlertResolves() throws Exception {
		Timeline timeline = healAfter("orders", "pause");

		// The same alert again inside the cooldown (as after a flap: same labels, a new start time, so not a repeat
		// notification of the one already handled) must be skipped, and say why.
		JsonNode acted = timeline.action;
		String payload = """
				{"version":"4","status":"firing","receiver":"remediator","groupKey":"{}:{alertname=\\"InstanceDown\\"}",
				 "commonLabels":{"alertname":"InstanceDown"},"alerts":[{"status":"firing",
				 "labels":{"alertname":"InstanceDown","job":"vigil-orders","severity":"page"},"annotations":{},
				 "startsAt":"%s","fingerprint":"%s"}]}""".formatted(Instant.now(), acted.path("fingerprint").asString());
		Instant posted = Instant.now();
		assertThat(shop.postToRemediator(payload).statusCode()).isBetween(200, 299);
		JsonNode skipped = await().atMost(Duration.ofSeconds(30))
			.until(() -> latest("orders", "SKIPPED", posted), Optional::isPresent)
			.orElseThrow();
		assertThat(skipped.path("reason").asString()).startsWith("cooldown");
		assertThat(Files.readString(shop.config.dataDir().resolve("remediator/audit.jsonl")))
			.as("the audit file has the action and the skip")
			.contains("\"outcome\":\"ACTED\"")
			.contains(skipped.path("reason").asString());
		assertThat(shop.stack.supervisor().process("orders").orElseThrow().state()).isEqualTo(ManagedProcess.State.READY);
	}

	@Test
	@Order(2)
	void aCrashedServiceThatTheSupervisorDoesNotRestartIsHealedByTheRemediator() throws Exception {
		healAfter("notifications", "crash");
	}

	/**
	 * Injects the fault through the launcher's control API (as `./vigil pause|crash` and the chaos runner do) and
	 * follows the loop to the end, printing the timeline.
	 */
	private Timeline healAfter(String service, String fault) throws Exception {
		String job = "vigil-" + service;
		ManagedProcess process = shop.stack.supervisor().process(service).orElseThrow();
		// Start from a quiet, reporting service: otherwise "fired" could be an old alert.
		await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).until(() -> !shop.firing("InstanceDown", job)
				&& shop.promql("count(target_info{job=\"" + job + "\"})").size() == 1
				&& process.state() == ManagedProcess.State.READY);
		long pid = process.pid().orElseThrow();

		Timeline timeline = new Timeline(service, fault, Instant.now());
		shop.control().post("/api/processes/" + service + "/" + fault);

		await("InstanceDown firing for " + job).atMost(DETECT.minus(Duration.between(timeline.fault, Instant.now())))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> shop.firing("InstanceDown", job));
		timeline.firing = Instant.now();

		timeline.action = await("the remediator restarting " + service)
			.atMost(remaining(timeline))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> latest(service, "ACTED", timeline.fault), Optional::isPresent)
			.orElseThrow();
		assertThat(timeline.action.path("alertname").asString()).isEqualTo("InstanceDown");
		assertThat(timeline.action.path("action").asString()).isEqualTo("restart");
		timeline.acted = Instant.parse(timeline.action.path("at").asString());

		await(service + " ready again as a new process").atMost(remaining(timeline))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> process.state() == ManagedProcess.State.READY && process.pid().map(p -> p != pid).orElse(false));
		timeline.ready = Instant.now();

		await("InstanceDown for " + job + " resolved").atMost(remaining(timeline))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> shop.alerts("InstanceDown").stream()
				.noneMatch(alert -> job.equals(alert.path("labels").path("job").asString())));
		timeline.resolved = Instant.now();
		System.out.println(timeline);

		// Exactly one restart for this outage: repeat notifications and a supervisor already starting it are skipped.
		assertThat(decisionsSince(service, timeline.fault)).filteredOn(d -> d.path("outcome").asString().equals("ACTED"))
			.hasSize(1);
		return timeline;
	}

	private Duration remaining(Timeline timeline) {
		Duration left = RECOVER.minus(Duration.between(timeline.fault, Instant.now()));
		return left.isNegative() ? Duration.ofMillis(1) : left;
	}

	private Optional<JsonNode> latest(String service, String outcome, Instant since) throws Exception {
		List<JsonNode> decisions = decisionsSince(service, since);
		for (int i = decisions.size() - 1; i >= 0; i--) {
			if (decisions.get(i).path("outcome").asString().equals(outcome)) {
				return Optional.of(decisions.get(i));
			}
		}
		return Optional.empty();
	}

	private List<JsonNode> decisionsSince(String service, Instant since) throws Exception {
		List<JsonNode> decisions = new ArrayList<>();
		for (JsonNode decision : shop.remediatorActions()) {
			if (service.equals(decision.path("target").asString())
					&& !Instant.parse(decision.path("at").asString()).isBefore(since)) {
				decisions.add(decision);
			}
		}
		return decisions;
	}

	/** What the issue asks to record: fault, alert firing, action, ready, resolved. */
	static final class Timeline {

		final String service;

		final String kind;

		final Instant fault;

		Instant firing;

		JsonNode action;

		Instant acted;

		Instant ready;

		Instant resolved;

		Timeline(String service, String kind, Instant fault) {
			this.service = service;
			this.kind = kind;
			this.fault = fault;
		}

		@Override
		public String toString() {
			return String.format(
					"[self-healing] %s %s: fault at %s; InstanceDown firing +%.1f s, restart +%.1f s, ready +%.1f s, resolved +%.1f s",
					kind, service, fault, seconds(firing), seconds(acted), seconds(ready), seconds(resolved));
		}

		private double seconds(Instant instant) {
			return Duration.between(fault, instant).toMillis() / 1000.0;
		}

	}

}
