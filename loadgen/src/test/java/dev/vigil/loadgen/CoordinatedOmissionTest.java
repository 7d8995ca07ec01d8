package dev.vigil.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The server stalls for one second, once. In an open model, arrivals keep coming during the stall, so about
 * rate x 1 s requests wait, with latencies spread evenly from 1 s down to 0. A closed-loop tool would have sent
 * one request during the stall and reported one slow sample; the handler-side timing below shows what that looks
 * like.
 */
class CoordinatedOmissionTest {

	private static final int RATE = 200;

	private static final long STALL_AT_SEQ = 200; // t = 1 s

	private static final long STALL_MILLIS = 1000;

	@Test
	void reportsTheLongTailAStallCausesForAnOpenWorkload() throws Exception {
		Histogram truth = new Histogram(3);
		Histogram handlerOnly = new Histogram(3); // what a closed loop, timing its own sends, would see
		TimedWorkload workload = new TimedWorkload();
		// One worker thread: the stall blocks it the way a GC pause or a held lock would; requests arriving
		// meanwhile queue up and are answered in a burst when it ends.
		try (TestServer server = new TestServer(1, exchange -> {
			long seq = Long.parseLong(exchange.getRequestHeaders().getFirst("X-Seq"));
			long intended = Long.parseLong(exchange.getRequestHeaders().getFirst("X-Intended"));
			long entered = System.nanoTime();
			if (seq == STALL_AT_SEQ) {
				try {
					Thread.sleep(STALL_MILLIS);
				}
				catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
			}
			long done = System.nanoTime();
			TestServer.respond(exchange, 200, Long.toString(done));
			if (seq < 0) {
				return; // the warm-up request
			}
			synchronized (truth) {
				truth.recordValue((done - intended) / 1000);
				handlerOnly.recordValue((done - entered) / 1000);
			}
		})) {
			LoadReport report = LoadRun.run(LoadConfig.builder()
					.target(server.uri("/"))
					.workload(workload)
					.rate(RATE)
					.duration(Duration.ofSeconds(3))
					.build());

			LoadReport.ScenarioReport r = report.scenario("timed");
			Histogram reported = r.latencyMicros();
			assertThat(r.completed()).isEqualTo(600);
			assertThat(r.dropped()).isZero();
			synchronized (truth) {
				assertThat(truth.getTotalCount()).isEqualTo(600);
				// The model: the ~RATE x 0.5 s = 100 arrivals intended in the first half of the stall cannot be
				// answered before it ends, so at least that many waited > 500 ms (more if the machine is slow).
				long truthOver500 = truth.getCountBetweenValues(500_000, Long.MAX_VALUE);
				assertThat(truthOver500).isGreaterThanOrEqualTo(95);
				// The generator reports every one of them: none hidden.
				assertThat(reported.getCountBetweenValues(500_000, Long.MAX_VALUE))
						.isGreaterThanOrEqualTo(truthOver500 - 2);
				assertThat(r.latency().max()).isGreaterThanOrEqualTo(950);
				// Percentiles match the truth computed from intended send times.
				for (double p : new double[] { 50, 75, 90, 99, 99.9 }) {
					LatencyAccuracyTest.assertMatchesTruth(reported, truth, workload, p);
				}
				// p90 of 600 samples with ~200 spread over (0, 1 s]: around the 60th-slowest, ~700 ms.
				assertThat(r.latency().p90()).isGreaterThan(500);
				// Timed from when the server got each request (as a closed loop would), one sample is slow.
				assertThat(handlerOnly.getCountBetweenValues(500_000, Long.MAX_VALUE)).isEqualTo(1);
			}
		}
	}
}
