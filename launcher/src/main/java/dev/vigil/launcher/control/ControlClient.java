package dev.vigil.launcher.control;

import dev.vigil.launcher.LauncherException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Talks to a running launcher through the state file it leaves in the data directory. */
public final class ControlClient {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final LauncherState state;

	private ControlClient(LauncherState state) {
		this.state = state;
	}

	/** The state a running launcher leaves behind: its pid, control port and token. */
	public record LauncherState(long pid, int controlPort, String token) {

		public static Path file(Path dataDir) {
			return dataDir.resolve("launcher.json");
		}

		public void write(Path dataDir) throws IOException {
			Files.createDirectories(dataDir);
			Path file = file(dataDir);
			Files.writeString(file, JSON.writeValueAsString(
					Map.of("pid", pid, "controlPort", controlPort, "token", token)));
			try {
				Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
			}
			catch (UnsupportedOperationException ignored) {
				// not a POSIX file system; the token is still only on loopback
			}
		}

		public static Optional<LauncherState> read(Path dataDir) {
			Path file = file(dataDir);
			if (!Files.isRegularFile(file)) {
				return Optional.empty();
			}
			try {
				JsonNode node = JSON.readTree(Files.readString(file));
				return Optional.of(new LauncherState(node.get("pid").asLong(), node.get("controlPort").asInt(),
						node.get("token").asString()));
			}
			catch (IOException | RuntimeException ex) {
				return Optional.empty();
			}
		}

	}

	/** The running launcher, or empty when none is running (a stale state file is removed). */
	public static Optional<ControlClient> connect(Path dataDir) {
		Optional<LauncherState> state = LauncherState.read(dataDir);
		if (state.isEmpty()) {
			return Optional.empty();
		}
		if (ProcessHandle.of(state.get().pid()).map(ProcessHandle::isAlive).orElse(false)) {
			return Optional.of(new ControlClient(state.get()));
		}
		try {
			Files.deleteIfExists(LauncherState.file(dataDir));
		}
		catch (IOException ignored) {
			// harmless: the next up overwrites it
		}
		return Optional.empty();
	}

	public long launcherPid() {
		return state.pid();
	}

	public JsonNode status() {
		return send(HttpRequest.newBuilder(uri("/api/status")).GET());
	}

	public JsonNode post(String path) {
		return send(HttpRequest.newBuilder(uri(path))
			.header("Authorization", "Bearer " + state.token())
			.POST(HttpRequest.BodyPublishers.noBody()));
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + state.controlPort() + path);
	}

	private JsonNode send(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(60)).build(),
					HttpResponse.BodyHandlers.ofString());
			JsonNode body = JSON.readTree(response.body());
			if (response.statusCode() >= 400) {
				throw new LauncherException(body.path("detail").asString("control API answered " + response.statusCode()));
			}
			return body;
		}
		catch (ConnectException ex) {
			throw new LauncherException("the launcher (pid " + state.pid() + ") does not answer on port "
					+ state.controlPort() + "; is it still starting?");
		}
		catch (IOException ex) {
			throw new LauncherException("control API call failed: " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new LauncherException("interrupted");
		}
	}

}
