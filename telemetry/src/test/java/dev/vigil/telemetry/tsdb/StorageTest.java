package dev.vigil.telemetry.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageTest {

	private static final Labels UP_API = Labels.of("__name__", "up", "job", "api");

	private static final Labels UP_DB = Labels.of("__name__", "up", "job", "db");

	@Test
	void shouldRejectAndCountOutOfOrderAndConflictingDuplicateSamples() {
		Storage s = Storage.inMemory();
		assertThat(s.append(UP_API, 2000, 1)).isTrue();
		assertThat(s.append(UP_API, 1000, 1)).isFalse();
		assertThat(s.append(UP_API, 2000, 5)).isFalse();
		assertThat(s.append(UP_API, 2000, 1)).isTrue();
		Storage.Stats st = s.stats();
		assertThat(st.outOfOrder()).isEqualTo(1);
		assertThat(st.duplicates()).isEqualTo(1);
		assertThat(st.samplesAppended()).isEqualTo(1);
	}

	@Test
	void shouldAcceptConcurrentAppendsWithoutLosingSamples() throws Exception {
		Storage s = Storage.inMemory();
		int threads = 4;
		int perThread = 5000;
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
		List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
		for (int k = 0; k < threads; k++) {
			Labels own = Labels.of("__name__", "c", "thread", Integer.toString(k));
			futures.add(pool.submit(() -> {
				for (int i = 0; i < perThread; i++) {
					s.append(own, i * 1000L, i);
					// every thread also races on one shared series; only in-order samples may land there
					s.append(UP_API, i * 1000L, 1);
				}
			}));
		}
		for (java.util.concurrent.Future<?> f : futures) {
			f.get();
		}
		pool.shutdown();
		List<SeriesData> own = s.select(0, Long.MAX_VALUE, List.of(Matcher.equal("__name__", "c")));
		assertThat(own).hasSize(threads).allSatisfy(d -> assertThat(d.size()).isEqualTo(perThread));
		long[] shared = s.select(0, Long.MAX_VALUE, List.of(Matcher.equal("job", "api"))).get(0).timestamps();
		for (int i = 1; i < shared.length; i++) {
			assertThat(shared[i]).isGreaterThan(shared[i - 1]);
		}
	}

	@Test
	void shouldSelectByMatchersWithinInclusiveRangeAcrossChunks() {
		Storage s = Storage.inMemory();
		for (int i = 0; i < 500; i++) {
			s.append(UP_API, i * 1000L, i);
			s.append(UP_DB, i * 1000L, -i);
		}
		List<SeriesData> r = s.select(100_000, 300_000,
				List.of(Matcher.equal("__name__", "up"), Matcher.of(Matcher.Type.REGEX, "job", "a.*")));
		assertThat(r).hasSize(1);
		SeriesData d = r.get(0);
		assertThat(d.labels()).isEqualTo(UP_API);
		assertThat(d.timestamps()).hasSize(201);
		assertThat(d.timestamps()[0]).isEqualTo(100_000);
		assertThat(d.values()[200]).isEqualTo(300);
		assertThat(s.select(0, 1000, List.of(Matcher.of(Matcher.Type.NOT_REGEX, "job", "api|db")))).isEmpty();
	}

	@Test
	void shouldListLabelNamesValuesAndSeries() {
		Storage s = Storage.inMemory();
		s.append(UP_API, 1000, 1);
		s.append(Labels.of("__name__", "http_requests_total", "job", "api", "code", "200"), 1000, 1);
		assertThat(s.labelNames(0, 2000, List.of())).containsExactly("__name__", "code", "job");
		assertThat(s.labelValues("__name__", 0, 2000, List.of())).containsExactly("http_requests_total", "up");
		assertThat(s.series(0, 2000, List.of(List.of(Matcher.equal("job", "api"))))).hasSize(2);
		assertThat(s.series(5000, 6000, List.of(List.of(Matcher.equal("job", "api"))))).isEmpty();
	}

	@Test
	void shouldDropChunksOlderThanRetention() {
		Storage s = Storage.open(new StorageConfig(null, Duration.ofHours(1), 0, null));
		for (long t = 0; t <= Duration.ofHours(3).toMillis(); t += 15_000) {
			s.append(UP_API, t, 1);
		}
		s.maintain();
		List<SeriesData> all = s.select(Long.MIN_VALUE, Long.MAX_VALUE, List.of(Matcher.equal("job", "api")));
		long oldest = all.get(0).timestamps()[0];
		// whole chunks go, so a little more than the retention may stay, never older data than one chunk beyond it
		assertThat(oldest).isGreaterThanOrEqualTo(Duration.ofHours(2).toMillis() - 120 * 15_000L);
		assertThat(s.stats().droppedSamples()).isGreaterThan(0);
	}

	@Test
	void shouldStayWithinMemoryBudgetByDroppingOldestChunks() {
		long budget = 200_000;
		Storage s = Storage.open(new StorageConfig(null, Duration.ofDays(365), budget, null));
		for (int series = 0; series < 50; series++) {
			Labels l = Labels.of("__name__", "m", "i", Integer.toString(series));
			for (long t = 0; t < 2000; t++) {
				s.append(l, t * 15_000, t * series);
			}
		}
		assertThat(s.stats().estimatedBytes()).isLessThanOrEqualTo(budget);
		assertThat(s.stats().droppedChunks()).isGreaterThan(0);
		// the newest data survives
		assertThat(s.select(1999 * 15_000L, 1999 * 15_000L, List.of(Matcher.equal("__name__", "m")))).hasSize(50);
	}

	@Test
	void shouldReloadSnapshotAfterClose(@TempDir Path dir) {
		try (Storage s = Storage.open(StorageConfig.defaults(dir))) {
			for (int i = 0; i < 300; i++) {
				s.append(UP_API, i * 15_000L, i);
			}
		}
		try (Storage s = Storage.open(StorageConfig.defaults(dir))) {
			List<SeriesData> r = s.select(0, Long.MAX_VALUE, List.of(Matcher.equal("job", "api")));
			assertThat(r).hasSize(1);
			assertThat(r.get(0).timestamps()).hasSize(300);
			assertThat(r.get(0).values()[299]).isEqualTo(299);
			assertThat(s.stats().outOfOrder()).isZero();
		}
	}

	@Test
	void shouldRecoverFlushedAppendLogWithoutClose(@TempDir Path dir, @TempDir Path restored) throws Exception {
		Storage crashed = Storage.open(StorageConfig.defaults(dir));
		crashed.snapshot();
		for (int i = 0; i < 10; i++) {
			crashed.append(UP_DB, i * 1000L, i);
		}
		// the background flusher writes the log about once a second; copying the files without close() is what
		// a kill -9 leaves behind
		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
			Files.copy(dir.resolve("snapshot.bin"), restored.resolve("snapshot.bin"),
					StandardCopyOption.REPLACE_EXISTING);
			Files.copy(dir.resolve("wal.log"), restored.resolve("wal.log"), StandardCopyOption.REPLACE_EXISTING);
			try (Storage s = Storage.open(StorageConfig.defaults(restored))) {
				List<SeriesData> r = s.select(0, Long.MAX_VALUE, List.of(Matcher.equal("job", "db")));
				return r.size() == 1 && r.get(0).size() == 10 && r.get(0).values()[9] == 9;
			}
			finally {
				Files.deleteIfExists(restored.resolve("wal.prev.log"));
			}
		});
		crashed.close();
	}

}
