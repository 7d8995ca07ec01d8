package dev.vigil.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The scheduler, not the target, decides how many requests start. */
class OpenModelRateTest {

	@Test
	void schedulesRateTimesDurationRequests() throws Exception {
		try (TestServer server = new TestServer(4, exchange -> TestServer.respond(exchange, 200, "ok"))) {
			LoadReport report = LoadRun.run(LoadConfig.builder()
					.target(server.uri("/"))
					.workload(Workload.httpGet())
					.rate(2000)
					.duration(Duration.ofSeconds(3))
					.build());

			assertThat((double) report.scheduled()).isCloseTo(6000, within(6000 * 0.02));
			LoadReport.ScenarioReport all = report.overall();
			assertThat(all.sent() + all.dropped()).isEqualTo(report.scheduled());
			assertThat(all.completed()).isEqualTo(all.sent());
			// Elapsed scheduling time is the configured duration (the last arrival is due just before it).
			assertThat(report.elapsed().toMillis()).isGreaterThanOrEqualTo(2999);
		}
	}

	@Test
	void arrivalsBeyondTheInFlightBoundAreDroppedAndCountedNotDelayed() throws Exception {
		try (TestServer server = new TestServer(4, exchange -> {
			try {
				Thread.sleep(3000);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
			TestServer.respond(exchange, 200, "ok");
		})) {
			LoadReport report = LoadRun.run(LoadConfig.builder()
					.target(server.uri("/"))
					.workload(Workload.httpGet())
					.rate(100)
					.duration(Duration.ofSeconds(1))
					.maxInFlight(10)
					.requestTimeout(Duration.ofMillis(500))
					.build());

			LoadReport.ScenarioReport all = report.overall();
			assertThat(report.scheduled()).isEqualTo(100);
			// Slots free up only as requests time out (500 ms), so roughly the first 10 and the 10 after that go out.
			assertThat(all.sent()).isBetween(10L, 30L);
			assertThat(all.dropped()).isEqualTo(100 - all.sent());
			assertThat(all.timeouts()).as(report.toJson()).isEqualTo(all.sent());
			assertThat(all.errorRate()).isEqualTo(1.0);
		}
	}

	@Test
	void stopEndsABackgroundRunEarlyWithAReport() throws Exception {
		try (TestServer server = new TestServer(2, exchange -> TestServer.respond(exchange, 200, "ok"))) {
			LoadRun run = LoadRun.start(LoadConfig.builder()
					.target(server.uri("/"))
					.workload(Workload.httpGet())
					.rate(20)
					.duration(Duration.ofHours(1))
					.build());
			Thread.sleep(300);
			run.stop();
			LoadReport report = run.await();
			assertThat(report.scheduled()).isBetween(1L, 200L);
			assertThat(report.elapsed()).isLessThan(Duration.ofMinutes(1));
			assertThat(run.isDone()).isTrue();
		}
	}
}
