package dev.vigil.telemetry.bench;

import dev.vigil.telemetry.server.ServerConfig;
import dev.vigil.telemetry.server.TelemetryServer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.TreeMap;

/**
 * The server half of the OTLP/gRPC ingest benchmark ({@code bench/telemetry/ingest.sh}): an in-memory
 * vigil-telemetry (test configuration), meant to run pinned to one core. Prints the OTLP/gRPC port, waits for the
 * first sample, lets {@code warmup} seconds pass, then measures for {@code seconds}: samples stored per wall second
 * and per CPU-second of the whole process (Netty, gRPC, decoding, translation, storage, GC, JIT), and the CPU split
 * by thread group. Not a unit test: {@code IngestServer [warmupSeconds] [seconds]}.
 */
public final class IngestServer {

	private IngestServer() {
	}

	public static void main(String[] args) throws Exception {
		int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 10;
		int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
		try (TelemetryServer server = TelemetryServer.start(ServerConfig.forTests())) {
			System.out.println(server.otlpGrpcPort());
			System.out.flush();
			while (server.receiverStats().samplesAppended() == 0) {
				Thread.sleep(10);
			}
			Thread.sleep(warmup * 1000L);
			Snapshot a = Snapshot.take(server);
			Thread.sleep(seconds * 1000L);
			Snapshot b = Snapshot.take(server);
			double wall = (b.wallNanos - a.wallNanos) / 1e9;
			double cpu = (b.processCpuNanos - a.processCpuNanos) / 1e9;
			long samples = b.samples - a.samples;
			long points = b.points - a.points;
			System.out.printf("server: %,.0f samples/s wall (%,.0f data points/s) over %.1f s; %,.0f samples per "
					+ "CPU-second of the server process (%.2f CPU-s, %.0f%% of one core)%n", samples / wall,
					points / wall, wall, samples / cpu, cpu, 100 * cpu / wall);
			System.out.printf("server: series in storage %,d; data points rejected %,d; requests throttled %,d%n",
					server.storage().stats().series(), server.receiverStats().dataPointsRejected(),
					server.receiverStats().requestsThrottled());
			StringBuilder split = new StringBuilder("server CPU by thread group:");
			for (Map.Entry<String, Long> e : b.cpuByGroup.entrySet()) {
				long d = e.getValue() - a.cpuByGroup.getOrDefault(e.getKey(), 0L);
				if (d > cpu * 1e9 * 0.005) {
					split.append(String.format(" %s %.0f%%", e.getKey(), 100 * d / (cpu * 1e9)));
				}
			}
			System.out.println(split + String.format(" (of which GC %.0f%%)", 100 * (b.gcMillis - a.gcMillis) / 1e3 / cpu));
		}
		System.exit(0);
	}

	private record Snapshot(long wallNanos, long processCpuNanos, long samples, long points,
			Map<String, Long> cpuByGroup, long gcMillis) {

		static Snapshot take(TelemetryServer server) {
			ThreadMXBean mx = ManagementFactory.getThreadMXBean();
			Map<String, Long> groups = new TreeMap<>();
			for (ThreadInfo ti : mx.getThreadInfo(mx.getAllThreadIds())) {
				if (ti != null) {
					long t = mx.getThreadCpuTime(ti.getThreadId());
					if (t > 0) {
						groups.merge(group(ti.getThreadName()), t, Long::sum);
					}
				}
			}
			long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
				.getProcessCpuTime();
			long gc = 0;
			for (var b : ManagementFactory.getGarbageCollectorMXBeans()) {
				gc += Math.max(0, b.getCollectionTime());
			}
			return new Snapshot(System.nanoTime(), cpu, server.receiverStats().samplesAppended(),
					server.receiverStats().dataPointsReceived(), groups, gc);
		}

		// JVM-internal threads (GC, JIT) are not visible to ThreadMXBean; their share is the remainder
		private static String group(String name) {
			if (name.startsWith("otlp-grpc")) {
				return "otlp-grpc(decode+translate+append)";
			}
			if (name.startsWith("grpc-") || name.contains("nio") || name.contains("epoll")) {
				return "netty/grpc-transport";
			}
			return "other";
		}

	}

}
