package dev.vigil.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.telemetry.server.ServerConfig;
import dev.vigil.telemetry.servicegraph.MetricsGenerator;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Loki's live tail over a real WebSocket, with the JDK's client. */
class LokiTailTest {

	static final JsonMapper JSON = JsonMapper.builder().build();

	TelemetryMain.Backend backend;

	final List<WebSocket> sockets = new CopyOnWriteArrayList<>();

	@BeforeEach
	void start() throws Exception {
		backend = TelemetryMain.startBackend(ServerConfig.forTests(), MetricsGenerator.Config.defaults());
	}

	@AfterEach
	void stop() {
		sockets.forEach(WebSocket::abort);
		backend.close();
	}

	/** Collects whole text messages; reads only as many as it is told to (a slow reader when not told). */
	static final class Frames implements WebSocket.Listener {

		final List<JsonNode> frames = new CopyOnWriteArrayList<>();

		private final StringBuilder part = new StringBuilder();

		private final boolean reading;

		Frames(boolean reading) {
			this.reading = reading;
		}

		@Override
		public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
			part.append(data);
			if (last) {
				frames.add(JSON.readTree(part.toString()));
				part.setLength(0);
			}
			if (reading) {
				socket.request(1);
			}
			return null;
		}

		String lines() {
			StringBuilder out = new StringBuilder();
			for (JsonNode frame : frames) {
				for (JsonNode stream : frame.path("streams")) {
					for (JsonNode value : stream.path("values")) {
						out.append(value.get(1).asString()).append('\n');
					}
				}
			}
			return out.toString();
		}

	}

	WebSocket connect(String query, Frames listener, String extra) {
		URI uri = URI.create("ws://127.0.0.1:" + backend.server().httpPort() + "/loki/api/v1/tail?query="
				+ URLEncoder.encode(query, StandardCharsets.UTF_8) + extra);
		WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, listener).join();
		sockets.add(socket);
		return socket;
	}

	static ResourceLogs logs(String service, long timeNanos, String... lines) {
		ScopeLogs.Builder scope = ScopeLogs.newBuilder();
		for (int i = 0; i < lines.length; i++) {
			scope.addLogRecords(LogRecord.newBuilder()
				.setTimeUnixNano(timeNanos + i)
				.setSeverityText("INFO")
				.setBody(AnyValue.newBuilder().setStringValue(lines[i])));
		}
		return ResourceLogs.newBuilder()
			.setResource(Resource.newBuilder()
				.addAttributes(KeyValue.newBuilder().setKey("service.name").setValue(AnyValue.newBuilder().setStringValue(service))))
			.addScopeLogs(scope)
			.build();
	}

	static long now() {
		return System.currentTimeMillis() * 1_000_000L;
	}

	@Test
	void shouldStreamNewMatchingLinesInLokisTailFrames() {
		backend.logs().append(List.of(logs("vigil-orders", now() - 10_000_000_000L, "checkout before the tail started")));
		Frames frames = new Frames(true);
		connect("{service_name=\"vigil-orders\"} |= \"checkout\"", frames, "&start=" + (now() - 1_000_000_000L));
		await().atMost(Duration.ofSeconds(5)).until(() -> backend.tail().sessions() == 1);

		backend.logs().append(List.of(logs("vigil-orders", now(), "checkout order 1", "GET /health"),
				logs("vigil-payments", now(), "checkout charge")));
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(frames.lines()).contains("checkout order 1"));
		backend.logs().append(List.of(logs("vigil-orders", now(), "checkout order 2")));
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(frames.lines()).contains("checkout order 2"));

		assertThat(frames.lines()).doesNotContain("GET /health").doesNotContain("checkout charge")
			.doesNotContain("before the tail started");
		JsonNode frame = frames.frames.get(0);
		assertThat(frame.propertyNames()).containsExactly("streams", "dropped_entries");
		assertThat(frame.path("streams").get(0).path("stream").path("service_name").asString()).isEqualTo("vigil-orders");
		assertThat(frame.path("dropped_entries").isNull()).isTrue();
	}

	@Test
	void shouldRefuseBadRequestsWithAClearHttpErrorBeforeUpgrading() {
		for (String query : List.of("{service_name=", "count_over_time({service_name=\"x\"}[1m])")) {
			assertThatThrownBy(() -> connect(query, new Frames(true), ""))
				.hasCauseInstanceOf(WebSocketHandshakeException.class)
				.satisfies(e -> {
					var response = ((WebSocketHandshakeException) e.getCause()).getResponse();
					assertThat(response.statusCode()).isEqualTo(400);
					assertThat(String.valueOf(response.body())).contains("error");
				});
		}
		assertThatThrownBy(() -> connect("{service_name=\"x\"}", new Frames(true), "&delay_for=60"))
			.hasCauseInstanceOf(WebSocketHandshakeException.class);
	}

	@Test
	void aReaderThatFallsBehindGetsDroppedEntriesInsteadOfAnUnboundedQueue() {
		Frames slow = new Frames(false); // takes the first message part, then reads nothing
		WebSocket socket = connect("{service_name=\"vigil-orders\"}", slow, "&limit=5000&start=" + (now() - 1_000_000_000L));
		await().atMost(Duration.ofSeconds(5)).until(() -> backend.tail().sessions() == 1);
		String[] lines = new String[500];
		java.util.Arrays.fill(lines, "x".repeat(4_000));
		// 2 MB at a time until the kernel's socket buffers (which autotune to tens of MB on loopback) and the
		// connection's 256 KiB write buffer are full: then what follows is dropped (and counted) rather than queued
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
			backend.logs().append(List.of(logs("vigil-orders", now(), lines)));
			return backend.tail().droppedEntries() > 0;
		});
		socket.request(Long.MAX_VALUE);
		// the reader first drains the tens of MB buffered for it; the next frame it can take reports the drops
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			backend.logs().append(List.of(logs("vigil-orders", now(), "after the reader woke up")));
			assertThat(slow.lines()).contains("after the reader woke up");
		});
		assertThat(slow.frames)
			.anySatisfy(frame -> {
				assertThat(frame.path("dropped_entries").isArray()).isTrue();
				JsonNode dropped = frame.path("dropped_entries").get(0);
				assertThat(dropped.path("labels").path("service_name").asString()).isEqualTo("vigil-orders");
				assertThat(dropped.path("timestamp").asString()).matches("\\d{19}");
			});
	}

}
