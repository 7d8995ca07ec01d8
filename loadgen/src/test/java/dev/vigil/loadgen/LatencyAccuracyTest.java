package dev.vigil.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The generator must tell the truth about latency. "Truth" is computed by the server itself: the instant it wrote
 * each response minus that request's intended send time (same JVM, same nanoTime clock). That keeps the check
 * robust on a loaded CI box: a late scheduler or a slow server moves truth and report together. The one thing
 * the server cannot see, the client's own receive path, is measured per request and added to the tolerance.
 */
class LatencyAccuracyTest {

	private static final long SERVICE_MILLIS = 20;

	@Test
	void reportsTheServersKnownServiceTime() throws Exception {
		Histogram truth = new Histogram(3);
		Histogram service = new Histogram(3);
		TimedWorkload workload = new TimedWorkload();
		try (TestServer server = new TestServer(8, exchange -> {
			long entered = System.nanoTime();
			long intended = Long.parseLong(exchange.getRequestHeaders().getFirst("X-Intended"));
			try {
				Thread.sleep(SERVICE_MILLIS);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
			long done = System.nanoTime();
			TestServer.respond(exchange, 200, Long.toString(done));
			if (exchange.getRequestHeaders().getFirst("X-Seq").equals("-1")) {
				return; // the warm-up request
			}
			synchronized (truth) {
				truth.recordValue((done - intended) / 1000);
				service.recordValue((done - entered) / 1000);
			}
		})) {
			LoadReport report = LoadRun.run(LoadConfig.builder()
					.target(server.uri("/work"))
					.workload(workload)
					.rate(100)
					.duration(Duration.ofSeconds(3))
					.build());

			LoadReport.ScenarioReport timed = report.scenario("timed");
			assertThat(timed.completed()).isEqualTo(300);
			assertThat(timed.errors()).isZero();
			synchronized (truth) {
				assertThat(truth.getTotalCount()).isEqualTo(300);
				// Physical sanity: nothing can be faster than the service time.
				assertThat(timed.latency().p50()).isGreaterThanOrEqualTo(SERVICE_MILLIS);
				assertThat(service.getValueAtPercentile(50) / 1000.0).isGreaterThanOrEqualTo(SERVICE_MILLIS);
				assertMatchesTruth(timed.latencyMicros(), truth, workload, 50);
				assertMatchesTruth(timed.latencyMicros(), truth, workload, 99);
			}
		}
	}

	/**
	 * Reported percentile within 5 % + 2 ms of truth, plus the largest measured receive-path delay. Each reported
	 * sample is its truth plus a receive delay d >= 0, so any percentile moves by at most max(d): about a
	 * millisecond on an idle machine, more only when CI starves the client of CPU. Never below truth: a response
	 * cannot be seen before it was written.
	 */
	static void assertMatchesTruth(Histogram reported, Histogram truth, TimedWorkload workload, double p) {
		double reportedMillis = reported.getValueAtPercentile(p) / 1000.0;
		double truthMillis = truth.getValueAtPercentile(p) / 1000.0;
		double tolerance = truthMillis * 0.05 + 2.0 + workload.receiveDelayMillis(100);
		assertThat(reportedMillis).as("p%s reported vs truth", p).isCloseTo(truthMillis, within(tolerance));
		assertThat(reportedMillis).as("p%s never below truth", p).isGreaterThanOrEqualTo(truthMillis * 0.99);
	}
}
