package dev.vigil.telemetry.receiver;

import dev.vigil.telemetry.server.ServerConfig;
import dev.vigil.telemetry.server.TelemetryServer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * OTLP/gRPC metrics ingest throughput: batches of 1,000 cumulative-counter data points (1,000 series, 5 labels
 * each) sent back to back by {@code clients} threads to an in-process server; prints samples/s. Not a unit test:
 *
 * <pre>java -cp ... dev.vigil.telemetry.receiver.OtlpIngestBenchmark [seconds] [clients]</pre>
 */
public final class OtlpIngestBenchmark {

	private static final int BATCH = 1000;

	private OtlpIngestBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
		int clients = args.length > 1 ? Integer.parseInt(args[1]) : 1;
		try (TelemetryServer server = TelemetryServer.start(ServerConfig.forTests())) {
			List<Thread> threads = new ArrayList<>();
			long[] sent = new long[clients];
			long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
			long end = warmupEnd + TimeUnit.SECONDS.toNanos(seconds);
			long[] measuredStart = new long[clients];
			for (int c = 0; c < clients; c++) {
				int id = c;
				Thread t = new Thread(() -> run(server.otlpGrpcPort(), id, warmupEnd, end, sent, measuredStart));
				threads.add(t);
				t.start();
			}
			for (Thread t : threads) {
				t.join();
			}
			long total = 0;
			for (long s : sent) {
				total += s;
			}
			double secs = seconds;
			// the machine may be shared: CPU time of the threads that decode, translate and store is the honest
			// per-core figure
			java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
			long cpu = 0;
			for (Thread th : Thread.getAllStackTraces().keySet()) {
				if (th.getName().startsWith("otlp-grpc")) {
					cpu += mx.getThreadCpuTime(th.getId());
				}
			}
			long all = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
				.getOperatingSystemMXBean()).getProcessCpuTime();
			long totalAll = server.receiverStats().samplesAppended();
			System.out.printf("server handler threads: %,.0f samples per CPU-second (%,d samples incl. warm-up in %.2f "
					+ "CPU-s); whole process incl. client: %,.0f samples per CPU-second%n", totalAll / (cpu / 1e9),
					totalAll, cpu / 1e9, totalAll / (all / 1e9));
			System.out.printf("OTLP/gRPC ingest: %d clients, batches of %d: %,.0f samples/s (%,d samples in %ds; "
					+ "series in storage %,d; rejected %d)%n", clients, BATCH, total / secs, total, seconds,
					server.storage().stats().series(), server.receiverStats().dataPointsRejected());
		}
		System.exit(0);
	}

	private static void run(int port, int client, long warmupEnd, long end, long[] sent, long[] measuredStart) {
		ManagedChannel ch = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
		try {
			var stub = MetricsServiceGrpc.newBlockingStub(ch);
			long t = System.currentTimeMillis() - 3_600_000L;
			long n = 0;
			while (true) {
				long now = System.nanoTime();
				if (now >= end) {
					break;
				}
				ExportMetricsServiceRequest req = batch(client, t, n);
				var resp = stub.export(req);
				if (resp.getPartialSuccess().getRejectedDataPoints() > 0) {
					throw new IllegalStateException(resp.getPartialSuccess().getErrorMessage());
				}
				if (now >= warmupEnd) {
					sent[client] += BATCH;
				}
				t += 15_000;
				n++;
			}
		}
		finally {
			ch.shutdownNow();
		}
	}

	private static KeyValue kv(String k, String v) {
		return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
	}

	// 10 metrics x 100 label combinations; building it is part of the client's cost, not the server's
	private static ExportMetricsServiceRequest batch(int client, long tMillis, long n) {
		ScopeMetrics.Builder scope = ScopeMetrics.newBuilder();
		for (int m = 0; m < 10; m++) {
			Sum.Builder sum = Sum.newBuilder().setIsMonotonic(true)
				.setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
			for (int s = 0; s < 100; s++) {
				sum.addDataPoints(NumberDataPoint.newBuilder()
					.setTimeUnixNano(tMillis * 1_000_000)
					.setAsDouble(n * 10 + s)
					.addAttributes(kv("http.request.method", s % 2 == 0 ? "GET" : "POST"))
					.addAttributes(kv("http.route", "/api/route/" + (s / 2)))
					.addAttributes(kv("http.response.status_code", "200")));
			}
			scope.addMetrics(Metric.newBuilder().setName("bench.requests." + m).setUnit("{request}").setSum(sum));
		}
		return ExportMetricsServiceRequest.newBuilder()
			.addResourceMetrics(ResourceMetrics.newBuilder()
				.setResource(Resource.newBuilder().addAttributes(kv("service.name", "bench-" + client))
					.addAttributes(kv("service.instance.id", "i-" + client)))
				.addScopeMetrics(scope))
			.build();
	}

}
