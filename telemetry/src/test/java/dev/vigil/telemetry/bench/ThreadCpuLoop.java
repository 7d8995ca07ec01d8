package dev.vigil.telemetry.bench;

import java.lang.management.ManagementFactory;

/** A single-threaded benchmark loop: a warm-up, then a measured time, counted against this thread's CPU time. */
final class ThreadCpuLoop {

	/** What the measured steps counted, and the CPU seconds the thread spent on them. */
	record Result(long count, double cpuSeconds) {

		double perCpuSecond() {
			return count / cpuSeconds;
		}

	}

	/** One step of the loop; returns what it did (samples, spans). */
	@FunctionalInterface
	interface Step {

		long run() throws Exception;

	}

	private ThreadCpuLoop() {
	}

	/** Runs {@code step} until the warm-up and the measured time are over. */
	static Result run(int warmupSeconds, int seconds, Step step) throws Exception {
		var mx = ManagementFactory.getThreadMXBean();
		long warmEnd = System.nanoTime() + warmupSeconds * 1_000_000_000L;
		long end = warmEnd + seconds * 1_000_000_000L;
		long count = 0;
		long cpu0 = 0;
		boolean measuring = false;
		while (true) {
			long now = System.nanoTime();
			if (!measuring && now >= warmEnd) {
				measuring = true;
				count = 0;
				cpu0 = mx.getCurrentThreadCpuTime();
			}
			if (now >= end) {
				break;
			}
			count += step.run();
		}
		return new Result(count, (mx.getCurrentThreadCpuTime() - cpu0) / 1e9);
	}

}
