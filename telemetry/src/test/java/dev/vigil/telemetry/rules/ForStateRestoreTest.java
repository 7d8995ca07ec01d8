package dev.vigil.telemetry.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.telemetry.promql.Engine;
import dev.vigil.telemetry.tsdb.Storage;
import dev.vigil.telemetry.tsdb.StorageConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restart with alert state restore (issue #3): a persisted storage is closed and reopened between two rule managers, as
 * a process restart does, and the second manager restores the {@code for} state from {@code ALERTS_FOR_STATE} like
 * Prometheus's {@code RestoreForState}. Time is driven explicitly from a fixed base; nothing reads the wall clock.
 */
class ForStateRestoreTest {

	private static final long MINUTE = 60_000;

	/** A fixed, second-aligned base time: alert state is stored in seconds. */
	private static final long T0 = 1_700_000_040_000L;

	private static final String RULES = """
			groups:
			  - name: restore
			    interval: 1m
			    rules:
			      - alert: AlwaysOn
			        expr: vector(1)
			        for: 10m
			        labels:
			          severity: page
			""";

	@TempDir
	Path dir;

	/** One process lifetime: a storage opened from the data directory and a rule manager over it. */
	private final class Process implements AutoCloseable {

		final Storage storage;

		final RuleManager manager;

		/** Restores with the given outage tolerance and grace period; both null: no restore. */
		Process(Duration outageTolerance, Duration gracePeriod) throws Exception {
			storage = Storage.open(new StorageConfig(dir.resolve("data"), Duration.ofDays(1), 0, null));
			Path rules = dir.resolve("rules.yml");
			if (!Files.exists(rules)) {
				Files.writeString(rules, RULES);
			}
			List<RuleGroup> groups = new RuleFileParser(EngineQueryFunc.CHECKER).load(List.of(rules), MINUTE);
			manager = new RuleManager(groups, new EngineQueryFunc(new Engine(storage)), storage::append,
					AlertListener.NONE, Map.of(), "",
					outageTolerance == null ? null : new ForStateRestore(storage, outageTolerance, gracePeriod));
		}

		/** Evaluates at {@code T0 + minute} for each minute in [from, to]. */
		void evaluate(int fromMinute, int toMinute) {
			for (int m = fromMinute; m <= toMinute; m++) {
				manager.evalAll(T0 + m * MINUTE);
			}
		}

		Alert.State state() {
			List<Alert.Snapshot> alerts = manager.activeAlerts();
			return alerts.isEmpty() ? Alert.State.INACTIVE : alerts.get(0).state();
		}

		/** The first minute in [from, to] at which the alert is firing after that minute's evaluation, or -1. */
		int firstFiringMinute(int fromMinute, int toMinute) {
			for (int m = fromMinute; m <= toMinute; m++) {
				manager.evalAll(T0 + m * MINUTE);
				if (state() == Alert.State.FIRING) {
					return m;
				}
			}
			return -1;
		}

		@Override
		public void close() {
			manager.close();
			storage.close();
		}

	}

	/** Pending from T0 for 6 minutes (evaluations at T0 .. T0+6m), then the process stops. */
	private void runUntilPendingForSixMinutes() throws Exception {
		try (Process before = new Process(null, null)) {
			before.evaluate(0, 6);
			assertThat(before.state()).isEqualTo(Alert.State.PENDING);
		}
	}

	@Test
	void shouldFireAfterTheRemainingPendingTimeWhenRestartedWithinTheOutageTolerance() throws Exception {
		runUntilPendingForSixMinutes();
		// down from 6m to 9m; the grace period (2m) is below the 4m still to wait, so it does not delay firing
		try (Process after = new Process(Duration.ofHours(1), Duration.ofMinutes(2))) {
			// restored after the second evaluation (10m): 4m pending remain, the 3m outage not counted
			assertThat(after.firstFiringMinute(9, 30)).isEqualTo(10 + 4);
		}
	}

	@Test
	void shouldStartOverWithoutRestore() throws Exception {
		// the control for the test above: the same restart without restore waits the whole `for` again
		runUntilPendingForSixMinutes();
		try (Process after = new Process(null, null)) {
			assertThat(after.firstFiringMinute(9, 30)).isEqualTo(9 + 10);
		}
	}

	@Test
	void shouldStartOverWhenTheOutageExceedsTheTolerance() throws Exception {
		runUntilPendingForSixMinutes();
		// down for 2h: the last ALERTS_FOR_STATE sample (6m) is older than the 1h tolerance at the restore
		int restart = 6 + 120;
		try (Process after = new Process(Duration.ofHours(1), Duration.ofMinutes(2))) {
			assertThat(after.firstFiringMinute(restart, restart + 30)).isEqualTo(restart + 10);
		}
	}

	@Test
	void shouldWaitAtLeastTheGracePeriodAfterTheRestore() throws Exception {
		runUntilPendingForSixMinutes();
		// Prometheus's default 10m grace period exceeds the 4m remaining: fire one grace period after the restore
		try (Process after = new Process(ForStateRestore.DEFAULT_OUTAGE_TOLERANCE,
				ForStateRestore.DEFAULT_GRACE_PERIOD)) {
			assertThat(after.firstFiringMinute(9, 40)).isEqualTo(10 + 10);
		}
	}

	@Test
	void shouldFireRightAfterTheRestoreWhenItWasFiringBeforeTheRestart() throws Exception {
		try (Process before = new Process(null, null)) {
			before.evaluate(0, 12);
			assertThat(before.state()).isEqualTo(Alert.State.FIRING);
		}
		try (Process after = new Process(Duration.ofHours(1), Duration.ofMinutes(10))) {
			after.evaluate(15, 16);
			// not firing during the two evaluations before the restore, firing at the first one after it
			assertThat(after.state()).isEqualTo(Alert.State.PENDING);
			assertThat(after.firstFiringMinute(17, 30)).isEqualTo(17);
			assertThat(after.manager.activeAlerts().get(0).activeAtMillis()).isEqualTo(T0);
		}
	}

	@Test
	void shouldKeepTheStoredStateUntilTheRestoreHasReadIt() throws Exception {
		runUntilPendingForSixMinutes();
		try (Process after = new Process(Duration.ofHours(1), Duration.ofMinutes(2))) {
			after.evaluate(9, 9);
			// the first evaluation after the restart wrote no ALERTS_FOR_STATE with its new activeAt (9m)
			var v = new Engine(after.storage).instantQuery("ALERTS_FOR_STATE", T0 + 9 * MINUTE).value();
			assertThat(((dev.vigil.telemetry.promql.Value.Vector) v).samples()).singleElement()
				.satisfies(s -> assertThat(s.value()).isEqualTo(T0 / 1000.0));
		}
	}

}
