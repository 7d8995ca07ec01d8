package dev.vigil.launcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.launcher.chaos.ChaosCommand;
import dev.vigil.launcher.chaos.Experiment;
import dev.vigil.launcher.chaos.ExperimentLoader;
import dev.vigil.launcher.chaos.ExperimentResult;
import dev.vigil.launcher.chaos.ExperimentRunner;
import dev.vigil.launcher.chaos.PrometheusQueries;
import dev.vigil.launcher.BackgroundLoad;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue #6's CI-sized chaos suite: committed experiments from chaos/experiments, run end to end by the same
 * {@link ExperimentRunner} as `./vigil chaos run`, on the shared stack at the local demo time scale, under the same
 * background load as `./vigil up` (rate-based alerts and the steady-state checks need traffic). Each must pass: the
 * expected alert within its bound, recovery within its bound, and no order lost or duplicated.
 *
 * <p>
 * The subset (about seven minutes): a hung service healed by the remediator (the process faults), latency in a
 * dependency (a service fault through the chaos endpoint), and a Kafka outage that the outbox rides out (an
 * infrastructure fault, and the lost-orders check that matters most). The other five run in the benchmark
 * (bench/chaos/run.sh).
 */
@ExtendWith(SharedStack.Resolver.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChaosSuiteEndToEndTest {

	final SharedStack shop;

	final List<ExperimentResult> results = new ArrayList<>();

	BackgroundLoad load;

	ExperimentRunner runner;

	PrometheusQueries prometheus;

	ChaosSuiteEndToEndTest(SharedStack shop) {
		this.shop = shop;
	}

	@BeforeAll
	void startBackgroundLoad() {
		load = shop.backgroundLoad(20);
		runner = ChaosCommand.runner(shop.config, Map.of(), System.out);
		// The first steady-state check needs a request rate to exist: two exports of the gateway's counters.
		prometheus = new PrometheusQueries(shop.url("telemetry", "/"));
		await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).until(() -> prometheus
			.value("sum(rate(http_server_request_duration_seconds_count{job=\"vigil-gateway\"}[30s]))") > 1);
	}

	@AfterAll
	void stopBackgroundLoad() {
		if (load != null) {
			load.stop();
		}
		System.out.println("[chaos suite]\n" + ChaosCommand.table(results));
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "service-hang", "payments-latency", "kafka-outage" })
	void experimentPasses(String name) {
		Experiment experiment = new ExperimentLoader().loadAll(shop.config.home().resolve("chaos/experiments"))
			.stream()
			.filter(e -> e.name().equals(name))
			.findFirst()
			.orElseThrow();
		// The runner checks the steady state once, before the fault, as a hypothesis must. Right after the stack
		// started (cold JVMs answer 503 for a while) or after the previous experiment it may not hold yet: wait for it,
		// with a deadline, so a failure means the fault's effects, not the warm-up.
		await("steady state before " + name).atMost(Duration.ofMinutes(3))
			.pollInterval(Duration.ofSeconds(5))
			.until(() -> experiment.steadyState().stream().allMatch(check -> {
				double value = prometheus.value(check.query());
				return !Double.isNaN(value) && value >= check.min() && value <= check.max();
			}));
		ExperimentResult result = runner.run(experiment);
		results.add(result);
		assertThat(result.verdict()).as(name + ": " + result.notes()).isEqualTo("PASS");
		assertThat(result.lostOrders()).isZero();
		assertThat(result.duplicatedOrders()).isZero();
	}

}
