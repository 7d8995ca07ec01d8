package dev.vigil.telemetry.traces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trace store survives restarts and crashes: its append log is flushed to the OS every second, so a kill -9
 * loses at most the spans of about the last second (documented in {@link TraceStore#open}).
 */
class TracePersistenceTest {

	static final TraceStore.Config CONFIG = new TraceStore.Config(1_000_000, Long.MAX_VALUE / 2);

	@TempDir
	Path dir;

	@Test
	void restartKeepsTheTracesEvenWithoutAClose() throws IOException {
		TraceStore first = TraceStore.open(CONFIG, dir);
		for (int i = 0; i < 100; i++) {
			first.append(CrashingTraceWriter.trace(i));
		}
		first.flush(); // what the background flusher does every second; no close(), as after a crash

		TraceStore second = TraceStore.open(CONFIG, dir);
		assertThat(second.spanCount()).isEqualTo(200);
		assertThat(second.trace(Hex.normalizeTraceId(Integer.toHexString(0x100000 + 42))).orElseThrow())
			.extracting(StoredSpan::name)
			.containsExactly("POST /api/orders", "PlaceOrder");
		second.append(CrashingTraceWriter.trace(100));
		second.close();
		assertThat(TraceStore.open(CONFIG, dir).spanCount()).isEqualTo(202);
	}

	@Test
	void theLogIsBoundedByTheSpanBudget() throws IOException {
		TraceStore.Config small = new TraceStore.Config(1_000, Long.MAX_VALUE / 2);
		TraceStore store = TraceStore.open(small, dir);
		for (int i = 0; i < 5_000; i++) {
			store.append(CrashingTraceWriter.trace(i));
		}
		store.close();
		try (Stream<Path> files = Files.list(dir)) {
			assertThat(files.count()).isLessThanOrEqualTo(6); // segments of budget/4 spans: ≤ 1.25 budgets + the open one
		}
		TraceStore reopened = TraceStore.open(small, dir);
		assertThat(reopened.spanCount()).isEqualTo(1_000);
		assertThat(reopened.trace(Hex.normalizeTraceId(Integer.toHexString(0x100000 + 4_999)))).isPresent();
		assertThat(reopened.trace(Hex.normalizeTraceId(Integer.toHexString(0x100000 + 4_000)))).isEmpty();
		reopened.close();
	}

	@Test
	void aKilledProcessLosesAtMostWhatItWroteInTheLastSecond() throws Exception {
		Path data = dir.resolve("traces");
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				CrashingTraceWriter.class.getName(), data.toString(), "500")
			.redirectErrorStream(true)
			.start();
		try {
			BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
			String line;
			while ((line = out.readLine()) != null && !line.equals("stored 500")) {
				// slf4j start-up lines
			}
			assertThat(line).as("child output").isEqualTo("stored 500");
			// the writer keeps appending; once the flusher has pushed the first 500 traces to the OS (within about a
			// second), a kill -9 must not lose them
			await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
				.until(() -> spansOnDisk(data) >= 1_000);
		}
		finally {
			child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close, possibly mid-write
			child.waitFor(10, TimeUnit.SECONDS);
		}
		TraceStore recovered = TraceStore.open(CONFIG, data);
		assertThat(recovered.spanCount()).isGreaterThanOrEqualTo(1_000).isEven(); // whole batches only
		for (int i = 0; i < 500; i++) {
			assertThat(recovered.trace(Hex.normalizeTraceId(Integer.toHexString(0x100000 + i)))).isPresent();
		}
		recovered.append(List.of(Spans.batch("vigil-orders",
				Spans.span("ff", "01", null, "after", SpanKind.SPAN_KIND_SERVER, 0, 1, false, Map.of()))));
		recovered.close();
		assertThat(TraceStore.open(CONFIG, data).spanCount()).isEqualTo(recovered.spanCount());
	}

	/** Spans a restart would find now: replays a copy, so the child's open files are not touched. */
	private Path copies;

	private long spansOnDisk(Path data) throws IOException {
		copies = copies == null ? Files.createDirectories(dir.resolve("copies")) : copies;
		Path copy = Files.createTempDirectory(copies, "replay");
		try (Stream<Path> files = Files.list(data)) {
			for (Path file : files.toList()) {
				Files.copy(file, copy.resolve(file.getFileName()));
			}
		}
		TraceStore store = TraceStore.open(CONFIG, copy);
		store.close();
		return store.spanCount();
	}

}
