package dev.vigil.telemetry.logs;

import static dev.vigil.telemetry.logs.Logs.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersistenceTest {

	@TempDir
	Path dir;

	static long now() {
		return System.currentTimeMillis() * 1_000_000L;
	}

	@Test
	void restartKeepsTheRecordsEvenWithoutAClose() throws IOException {
		LogStore.Config config = new LogStore.Config(10_000, 6L * 3600 * SECOND);
		LogStore first = LogStore.open(config, dir);
		first.append(List.of(LogStoreTest.batch(0, 500, now() - 60 * SECOND)));
		first.append(List.of(LogStoreTest.batch(500, 500, now() - 60 * SECOND)));
		first.flush(); // what the background flusher does every second; no close(), as after kill -9

		LogStore second = LogStore.open(config, dir);
		assertThat(second.recordCount()).isEqualTo(1_000);
		assertThat(second.trace(LogStoreTest.traceId(10))).hasSize(4);
		LokiApi api = new LokiApi(second);
		assertThat(api.handle("/loki/api/v1/query_range", Logs.params("query", "{service_name=\"orders\"} |= \"/orders/999 \""))
			.body()).contains("GET /orders/999 200");
		second.append(List.of(LogStoreTest.batch(1_000, 10, now())));
		second.close();
		first.close();
		assertThat(LogStore.open(config, dir).recordCount()).isEqualTo(1_010);
	}

	@Test
	void aTornTailIsIgnored() throws IOException {
		LogStore.Config config = new LogStore.Config(10_000, 6L * 3600 * SECOND);
		LogStore store = LogStore.open(config, dir);
		store.append(List.of(LogStoreTest.batch(0, 100, now() - SECOND)));
		store.close();
		Path last = lastSegment();
		long size = Files.size(last);
		Files.write(last, new byte[] { (byte) 0xff, (byte) 0xff, 0x01, 0x0a }, StandardOpenOption.APPEND);
		LogStore reopened = LogStore.open(config, dir);
		assertThat(Files.size(last)).isEqualTo(size); // cut back to the last whole batch
		assertThat(reopened.recordCount()).isEqualTo(100);
		reopened.append(List.of(LogStoreTest.batch(100, 5, now())));
		reopened.close();
		assertThat(LogStore.open(config, dir).recordCount()).isEqualTo(105);
	}

	private Path lastSegment() throws IOException {
		try (var files = Files.list(dir)) {
			return files.filter(p -> Files.isRegularFile(p)).sorted().reduce((a, b) -> b).orElseThrow();
		}
	}

	@Test
	void theLogIsBoundedByTheBudget() throws IOException {
		LogStore.Config config = new LogStore.Config(1_000, 6L * 3600 * SECOND);
		LogStore store = LogStore.open(config, dir);
		for (int i = 0; i < 40; i++) {
			store.append(List.of(LogStoreTest.batch(i * 100, 100, now() - SECOND)));
		}
		store.close();
		try (var files = Files.list(dir)) {
			assertThat(files.count()).isLessThanOrEqualTo(6); // segments of budget/4 records: ≤ 1.25 budgets + the open one
		}
		LogStore reopened = LogStore.open(config, dir);
		assertThat(reopened.recordCount()).isEqualTo(1_000);
		assertThat(reopened.trace(LogStoreTest.traceId(3_999 / 4))).hasSize(4);
		reopened.close();
	}

}
