package dev.vigil.loadgen.bench;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

import dev.vigil.loadgen.LoadConfig;
import dev.vigil.loadgen.LoadReport;
import dev.vigil.loadgen.LoadRun;
import dev.vigil.loadgen.Workload;

/**
 * Finds the highest constant rate the generator sustains against a trivial endpoint. Not a unit test: run it with
 * {@code bench/loadgen/run.sh}, which pins this JVM to one core and the {@link TrivialServer} to another.
 *
 * <p>A rate is sustained when every scheduled request was sent (none dropped at the in-flight bound), none failed,
 * at least 99 % of the rate completed, the median stays under 5 ms and the p99, which includes any scheduler lag,
 * under the given bound (run.sh: 100 ms, since on a shared machine the OS deschedules us now and then). It also
 * prints the CPU the generator JVM spent per request, the figure that does not depend on neighbours.
 *
 * <p>Usage: {@code MaxRateBench URL [seconds-per-step] [max-p99-ms]}
 */
public final class MaxRateBench {

	public static void main(String[] args) throws Exception {
		URI target = URI.create(args[0]);
		int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
		double maxP99 = args.length > 2 ? Double.parseDouble(args[2]) : 25;
		System.out.printf(Locale.ROOT, "cores visible: %d, target %s, %ds per step, sustained = no drops, no errors, p50 <= 5 ms, "
				+ "p99 <= %.0f ms%n", Runtime.getRuntime().availableProcessors(), target, seconds, maxP99);
		// Warm up the JIT so the first measured step is not penalised by the interpreter.
		step(target, 3_000, 10, maxP99, false);
		double best = 0;
		double rate = 2_000;
		while (rate <= 200_000) {
			if (!step(target, rate, seconds, maxP99, true)) {
				break;
			}
			best = rate;
			rate *= 1.25;
		}
		// Refine between the last pass and the first failure.
		double lo = best;
		double hi = rate;
		for (int i = 0; i < 3 && hi - lo > 500; i++) {
			double mid = Math.round((lo + hi) / 2 / 100) * 100;
			if (step(target, mid, seconds, maxP99, true)) {
				lo = mid;
			}
			else {
				hi = mid;
			}
		}
		System.out.printf(Locale.ROOT, "MAX SUSTAINED RATE: %.0f req/s%n", lo);
	}

	/** CPU time of the whole generator JVM (scheduler, I/O, JIT, GC): everything the generator costs. */
	private static long generatorCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
				.getOperatingSystemMXBean()).getProcessCpuTime();
	}

	private static boolean step(URI target, double rate, int seconds, double maxP99, boolean print) {
		long cpuBefore = generatorCpuNanos();
		LoadReport r = LoadRun.run(LoadConfig.builder()
				.target(target)
				.workload(Workload.httpGet())
				.rate(rate)
				.duration(Duration.ofSeconds(seconds))
				.maxInFlight(5000)
				.ioThreads(1)
				.requestTimeout(Duration.ofSeconds(5))
				.build());
		LoadReport.ScenarioReport all = r.overall();
		// CPU the generator JVM burned per request: one core's capacity is 1e6 / this,
		// whatever else the machine is doing. Wall-clock rates on a shared box partly measure the neighbours.
		double cpuMicrosPerRequest = (generatorCpuNanos() - cpuBefore) / 1e3 / Math.max(1, all.completed());
		boolean ok = all.dropped() == 0 && all.errors() == 0 && r.unfinished() == 0
				&& all.ratePerSecond() >= rate * 0.99 && all.latency().p50() <= 5 && all.latency().p99() <= maxP99;
		if (print) {
			System.out.printf(Locale.ROOT,
					"rate %8.0f/s  completed %8d (%8.0f/s)  dropped %6d  errors %5d  p50 %7.2f ms  p99 %8.2f ms  "
							+ "max %8.2f ms  max lag %7.2f ms  cpu %5.1f us/req (=> %6.0f req/s per core)  %s%n",
					rate, all.completed(), all.ratePerSecond(), all.dropped(), all.errors(), all.latency().p50(),
					all.latency().p99(), all.latency().max(), r.maxSchedulerLagMillis(), cpuMicrosPerRequest, 1e6 / cpuMicrosPerRequest, ok ? "ok" : "NOT SUSTAINED");
		}
		return ok;
	}
}
