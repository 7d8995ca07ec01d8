package dev.vigil.telemetry.bench;

import dev.vigil.telemetry.traces.SpanDecoder;

/**
 * The decoding part of span ingest, in one thread: {@link TraceBench}'s batches (1,000 spans, 10 attributes each)
 * walked in place by {@link SpanDecoder}, without transport or store. Prints spans per CPU-second of that thread.
 * Not a unit test: {@code SpanDecodeBench [warmupSeconds] [seconds]}.
 */
public final class SpanDecodeBench {

	private SpanDecodeBench() {
	}

	public static void main(String[] args) throws Exception {
		int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 5;
		int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
		byte[][] batches = new byte[16][];
		long now = System.currentTimeMillis() * 1_000_000L;
		for (int b = 0; b < batches.length; b++) {
			batches[b] = TraceBench.batch(b, now).toByteArray();
		}
		SpanDecoder decoder = new SpanDecoder();
		int[] next = { 0 };
		ThreadCpuLoop.Result result = ThreadCpuLoop.run(warmup, seconds,
				() -> decoder.decodeRequest(batches[next[0]++ % batches.length]).size());
		System.out.printf("span decode: %,.0f spans per CPU-second (%.1f CPU-s)%n", result.perCpuSecond(),
				result.cpuSeconds());
	}

}
