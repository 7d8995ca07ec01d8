package dev.vigil.telemetry.bench;

import com.google.protobuf.ByteString;
import dev.vigil.telemetry.api.ApiResponse;
import dev.vigil.telemetry.logs.LogStore;
import dev.vigil.telemetry.logs.LokiApi;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Log store figures (not a unit test): ingest records/s on one thread (batches of 1,000 records as the receiver
 * hands them over, 4 attributes, ~90-byte lines, 1 trace per 5 records), logs-of-a-trace latency on a full store
 * (1,000,000 records), a count_over_time over the whole store, and heap per record.
 * Run: java -cp <test classpath> dev.vigil.telemetry.bench.LogBench [records=3000000] [data dir]
 */
public final class LogBench {

	public static void main(String[] args) throws java.io.IOException {
		int total = args.length > 0 ? Integer.parseInt(args[0]) : 3_000_000;
		int batchSize = 1_000;
		List<List<ResourceLogs>> batches = new ArrayList<>();
		long now = System.currentTimeMillis() * 1_000_000L;
		for (int b = 0; b < 200; b++) {
			batches.add(List.of(batch(b, batchSize, now)));
		}
		LogStore warm = new LogStore(new LogStore.Config(200_000, 6L * 3600 * 1_000_000_000L));
		for (int i = 0; i < 1_000; i++) {
			warm.append(batches.get(i % batches.size()));
		}

		System.gc();
		long heapBefore = usedHeap();
		// second argument: a data directory, to measure ingest with the append log
		LogStore store = args.length > 1 ? LogStore.open(LogStore.Config.defaults(), java.nio.file.Path.of(args[1]))
				: new LogStore(LogStore.Config.defaults());
		java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
		long start = System.nanoTime();
		long cpuStart = threads.getCurrentThreadCpuTime();
		int appended = 0;
		for (int i = 0; appended < total; i++) {
			store.append(batches.get(i % batches.size()));
			appended += batchSize;
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
		// CPU time of the ingesting thread: the one-core figure even when the machine is shared
		System.out.printf("ingest: %,d records in %.2f s wall = %,.0f records/s; %.2f s CPU of the ingest thread = "
				+ "%,.0f records per CPU-second (store budget %,d, evicted %,d)%n", appended, seconds, appended / seconds,
				cpuSeconds, appended / cpuSeconds, store.config().maxRecords(), store.evictedRecords());

		System.gc();
		long heap = usedHeap() - heapBefore;
		System.out.printf("memory: %,d records, estimate %,d bytes/record, measured heap %,d bytes/record%n",
				store.recordCount(), store.estimatedBytes() / store.recordCount(), heap / store.recordCount());

		// logs of a trace: traces of the newest 200,000 records (all live)
		Random random = new Random(1);
		int lookups = 20_000;
		long[] latencies = new long[lookups];
		int found = 0;
		for (int i = 0; i < lookups; i++) {
			int b = random.nextInt(batches.size());
			int r = random.nextInt(batchSize);
			String trace = traceHex(b, r / 5);
			long t0 = System.nanoTime();
			found += store.trace(trace).size();
			latencies[i] = System.nanoTime() - t0;
		}
		Arrays.sort(latencies);
		System.out.printf("logs of a trace (store API): p50 %.3f ms, p99 %.3f ms, max %.3f ms (%,d lines found in %,d lookups)%n",
				latencies[lookups / 2] / 1e6, latencies[lookups * 99 / 100] / 1e6, latencies[lookups - 1] / 1e6, found,
				lookups);
		LokiApi api = new LokiApi(store);
		for (int i = 0; i < lookups; i++) {
			String trace = traceHex(random.nextInt(batches.size()), random.nextInt(batchSize) / 5);
			long t0 = System.nanoTime();
			ApiResponse response = api.handle("/loki/api/v1/trace/" + trace, Map.of());
			latencies[i] = System.nanoTime() - t0;
			if (response.status() != 200) {
				throw new IllegalStateException(response.body());
			}
		}
		Arrays.sort(latencies);
		System.out.printf("logs of a trace (HTTP API, JSON): p50 %.3f ms, p99 %.3f ms%n", latencies[lookups / 2] / 1e6,
				latencies[lookups * 99 / 100] / 1e6);

		String seconds1 = Long.toString(System.currentTimeMillis() / 1000 + 1);
		for (String query : List.of("sum by (level) (count_over_time({service_name=\"orders\"}[10m]))",
				"sum(count_over_time({service_name=\"orders\"} |= \"timeout\" [10m]))",
				"sum by (http_route) (count_over_time({service_name=\"orders\"} | http_status_code=\"500\" [10m]))")) {
			long t0 = System.nanoTime();
			ApiResponse response = null;
			for (int i = 0; i < 5; i++) {
				response = api.handle("/loki/api/v1/query", Map.of("query", List.of(query), "time", List.of(seconds1)));
			}
			System.out.printf("instant %s over %,d records: %.0f ms (%s)%n", query, store.recordCount(),
					(System.nanoTime() - t0) / 5e6, response.status() == 200 ? "ok" : response.body());
		}
		long t0 = System.nanoTime();
		ApiResponse logs = api.handle("/loki/api/v1/query_range",
				Map.of("query", List.of("{service_name=\"orders\"} |= \"timeout\""), "limit", List.of("1000")));
		System.out.printf("query_range log query, limit 1000: %.0f ms (%s)%n", (System.nanoTime() - t0) / 1e6,
				logs.status() == 200 ? "ok" : logs.body());
	}

	private static long usedHeap() {
		Runtime runtime = Runtime.getRuntime();
		return runtime.totalMemory() - runtime.freeMemory();
	}

	private static String traceHex(int batch, int trace) {
		return String.format("%016x%016x", (long) batch + 1, (long) trace + 1);
	}

	private static ResourceLogs batch(int b, int size, long now) {
		ScopeLogs.Builder scope = ScopeLogs.newBuilder();
		String[] routes = { "/orders", "/orders/{id}", "/cart", "/checkout" };
		for (int i = 0; i < size; i++) {
			int trace = i / 5;
			int status = i % 50 == 0 ? 500 : 200;
			String route = routes[i % routes.length];
			scope.addLogRecords(LogRecord.newBuilder()
				.setTimeUnixNano(now - (size - i) * 1_000L)
				.setSeverityText(status == 500 ? "ERROR" : "INFO")
				.setSeverityNumberValue(status == 500 ? 17 : 9)
				.setBody(AnyValue.newBuilder().setStringValue("handled " + route + " status=" + status
						+ (status == 500 ? " error=timeout" : "") + " duration_ms=" + (i % 97) + " user=u" + (i % 1000)
						+ " order=" + (b * size + i)))
				.setTraceId(ByteString.copyFrom(ByteBuffer.allocate(16).putLong(b + 1).putLong(trace + 1).array()))
				.setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(i % 5 + 1).array()))
				.addAttributes(attr("http.route", route))
				.addAttributes(attr("http.status_code", Integer.toString(status)))
				.addAttributes(attr("http.method", "GET"))
				.addAttributes(attr("code.function", "handle")));
		}
		return ResourceLogs.newBuilder()
			.setResource(Resource.newBuilder()
				.addAttributes(attr("service.name", "orders"))
				.addAttributes(attr("service.namespace", "shop"))
				.addAttributes(attr("deployment.environment.name", "local"))
				.addAttributes(attr("service.instance.id", "orders-" + (b % 3)))
				.addAttributes(attr("telemetry.sdk.language", "java")))
			.addScopeLogs(scope)
			.build();
	}

	private static KeyValue attr(String key, String value) {
		return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
	}

}
