package dev.vigil.telemetry.logs;

import static dev.vigil.telemetry.logs.Logs.NOW;
import static dev.vigil.telemetry.logs.Logs.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogStoreTest {

	static String traceId(int i) {
		return HexFormat.of().toHexDigits((long) i) + HexFormat.of().toHexDigits(0xabcdefL);
	}

	static ResourceLogs batch(int from, int count, long time) {
		List<LogRecord> records = new ArrayList<>(count);
		for (int i = from; i < from + count; i++) {
			records.add(Logs.traced(time + i, i % 3 == 0 ? "ERROR" : "INFO",
					"GET /orders/" + i + " 200 12ms user=u" + (i % 100), traceId(i / 4), "00000000000000" + "01"));
		}
		return Logs.service("orders", "production", records.toArray(LogRecord[]::new));
	}

	@Test
	void ingestingThreeTimesTheBudgetKeepsTheBudgetAndCountsEvictions() {
		LogStore store = new LogStore(new LogStore.Config(10_000, 6L * 3600 * SECOND), () -> NOW);
		for (int i = 0; i < 30; i++) {
			store.append(List.of(batch(i * 1_000, 1_000, NOW - 60 * SECOND)));
		}
		assertThat(store.recordCount()).isEqualTo(10_000);
		assertThat(store.ingestedRecords()).isEqualTo(30_000);
		assertThat(store.evictedRecords()).isEqualTo(20_000);
		// the oldest went first: traces of evicted records are gone from the index, recent ones are whole
		assertThat(store.trace(traceId(0))).isEmpty();
		assertThat(store.trace(traceId(29_999 / 4))).hasSize(4);
		assertThat(store.stats().get("traces")).isEqualTo(2_500L);
		assertThat(store.stats().get("streams")).isEqualTo(2L);
	}

	@Test
	void retentionEvictsOldRecords() {
		AtomicLong now = new AtomicLong(NOW);
		LogStore store = new LogStore(new LogStore.Config(1_000, 3600 * SECOND), now::get);
		store.append(List.of(batch(0, 10, NOW - 10 * SECOND)));
		now.addAndGet(3600 * SECOND);
		store.evictExpired();
		assertThat(store.recordCount()).isZero();
		assertThat(store.evictedRecords()).isEqualTo(10);
		store.append(List.of(batch(10, 5, now.get())));
		assertThat(store.recordCount()).isEqualTo(5);
		assertThat(store.stats().get("streams")).isEqualTo(2L); // streams whose records all went are dropped too
	}

	@Test
	void traceIndexFindsRecordsAndSpans() {
		LogStore store = new LogStore(LogStore.Config.defaults(), () -> NOW);
		store.append(List.of(batch(0, 100, NOW - SECOND)));
		List<LogEntry> trace = store.trace(traceId(3));
		assertThat(trace).hasSize(4).extracting(LogEntry::line).containsExactly("GET /orders/12 200 12ms user=u12",
				"GET /orders/13 200 12ms user=u13", "GET /orders/14 200 12ms user=u14", "GET /orders/15 200 12ms user=u15");
		assertThat(trace.get(0).metadata()).containsEntry("trace_id", traceId(3)).containsEntry("span_id", "0000000000000001")
			.containsEntry("service_instance_id", "orders-1").containsEntry("severity_text", "ERROR");
		assertThat(trace.get(0).labels()).containsEntry("level", "error").containsEntry("job", "shop/orders");
		assertThat(store.span(traceId(3), "0000000000000001")).hasSize(4);
		assertThat(store.span(traceId(3), "0000000000000002")).isEmpty();
		// short ids are left-padded as Tempo does
		assertThat(store.trace(traceId(3).replaceFirst("^0+", ""))).hasSize(4);
	}

	@Test
	void bodiesThatAreMapsBecomeJson() {
		LogStore store = new LogStore(LogStore.Config.defaults(), () -> NOW);
		var body = io.opentelemetry.proto.common.v1.AnyValue.newBuilder()
			.setKvlistValue(io.opentelemetry.proto.common.v1.KeyValueList.newBuilder()
				.addValues(Logs.attribute("msg", "hi \"there\""))
				.addValues(io.opentelemetry.proto.common.v1.KeyValue.newBuilder().setKey("n")
					.setValue(io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setIntValue(3))))
			.build();
		store.append(List.of(Logs.service("svc", null,
				Logs.traced(NOW - SECOND, "INFO", "", traceId(1), "0000000000000001").toBuilder().setBody(body).build())));
		assertThat(store.trace(traceId(1)).get(0).line()).isEqualTo("{\"msg\":\"hi \\\"there\\\"\",\"n\":3}");
	}

	/** Reports bytes per record for a typical line; asserts only a loose upper bound (no speed assertions). */
	@Test
	void storageIsCompact() {
		LogStore store = new LogStore(new LogStore.Config(100_000, 6L * 3600 * SECOND), () -> NOW);
		for (int i = 0; i < 100; i++) {
			store.append(List.of(batch(i * 1_000, 1_000, NOW - 60 * SECOND)));
		}
		long perRecord = store.estimatedBytes() / store.recordCount();
		System.out.println("log store: ~" + perRecord + " bytes per record (estimate; ~34-byte line, 2 metadata pairs)");
		assertThat(perRecord).isLessThan(200);
	}

	@Test
	void concurrentIngestAndQueries() throws Exception {
		LogStore store = new LogStore(new LogStore.Config(20_000, 6L * 3600 * SECOND), () -> NOW);
		LokiApi api = new LokiApi(store, QueryLimits.defaults(), () -> NOW);
		ExecutorService pool = Executors.newFixedThreadPool(4);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < 2; t++) {
				int thread = t;
				futures.add(pool.submit(() -> {
					for (int i = 0; i < 50; i++) {
						store.append(List.of(batch((thread * 50 + i) * 500, 500, NOW - 60 * SECOND)));
					}
				}));
				futures.add(pool.submit(() -> {
					for (int i = 0; i < 50; i++) {
						var response = api.handle("/loki/api/v1/query_range", Logs.params("query",
								"sum by (level) (count_over_time({service_name=\"orders\"} |= \"200\" [5m]))", "start",
								Logs.seconds(NOW - 600 * SECOND), "end", Logs.seconds(NOW), "step", "60"));
						assertThat(response.status()).as(response.body()).isEqualTo(200);
						var logs = api.handle("/loki/api/v1/trace/" + traceId(i * 100), Logs.params());
						assertThat(logs.status()).isEqualTo(200);
					}
				}));
			}
			for (Future<?> future : futures) {
				future.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(store.recordCount()).isEqualTo(20_000);
		assertThat(store.evictedRecords()).isEqualTo(30_000);
	}

}
