package dev.vigil.telemetry.bench;

import dev.vigil.telemetry.promql.Engine;
import dev.vigil.telemetry.tsdb.Labels;
import dev.vigil.telemetry.tsdb.Storage;

import java.util.Arrays;
import java.util.Random;

/**
 * Benchmarks for the metrics core, run by hand (not a unit test, so no test depends on machine speed):
 * {@code java -cp ... dev.vigil.telemetry.bench.MetricsBench}. Prints bytes per sample for regular 15 s series and
 * the p50/p90 latency of {@code sum by (job) (rate(x[5m]))} over 1,000 series x 1 h at a 15 s step.
 */
public final class MetricsBench {

	private static final int SERIES = 1000;

	private static final long STEP = 15_000;

	private static final int SAMPLES = 241; // one hour at 15 s, both ends included

	private MetricsBench() {
	}

	public static void main(String[] args) {
		compression("constant-rate counter (+1 per scrape)", (i, prev, r) -> prev + 1);
		compression("counter with random integer increments 0..20", (i, prev, r) -> prev + r.nextInt(21));
		compression("gauge with 2-decimal random walk", (i, prev, r) -> Math.round((prev + r.nextGaussian()) * 100) / 100.0);
		latency();
	}

	private interface Generator {

		double next(int i, double prev, Random r);

	}

	private static Storage load(Generator g) {
		Storage s = Storage.inMemory();
		Random r = new Random(1);
		long t0 = 1_700_000_000_000L;
		for (int k = 0; k < SERIES; k++) {
			Labels l = Labels.of("__name__", "x", "job", "job" + (k % 10), "instance", "i" + k);
			double v = 0;
			for (int i = 0; i < SAMPLES; i++) {
				v = g.next(i, v, r);
				s.append(l, t0 + i * STEP, v);
			}
		}
		return s;
	}

	private static void compression(String name, Generator g) {
		Storage s = load(g);
		double bps = s.encodedSampleBytes() / (double) s.stats().samplesAppended();
		System.out.printf("compression %-48s %.3f bytes/sample%n", name, bps);
	}

	private static void latency() {
		Storage s = load((i, prev, r) -> prev + r.nextInt(21));
		Engine e = new Engine(s);
		long t0 = 1_700_000_000_000L;
		long end = t0 + (SAMPLES - 1) * STEP;
		String q = "sum by (job) (rate(x[5m]))";
		for (int i = 0; i < 30; i++) {
			e.rangeQuery(q, t0, end, STEP);
		}
		// wall time, plus thread CPU time which is meaningful on a shared, overloaded build machine
		java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
		long[] ns = new long[50];
		long[] cpu = new long[50];
		for (int i = 0; i < ns.length; i++) {
			long start = System.nanoTime();
			long cpuStart = mx.getCurrentThreadCpuTime();
			e.rangeQuery(q, t0, end, STEP);
			ns[i] = System.nanoTime() - start;
			cpu[i] = mx.getCurrentThreadCpuTime() - cpuStart;
		}
		Arrays.sort(ns);
		Arrays.sort(cpu);
		System.out.printf("latency %s over %d series x 1h @15s: wall p50 %.1f ms, p90 %.1f ms; cpu p50 %.1f ms%n", q,
				SERIES, ns[ns.length / 2] / 1e6, ns[ns.length * 9 / 10] / 1e6, cpu[cpu.length / 2] / 1e6);
	}

}
