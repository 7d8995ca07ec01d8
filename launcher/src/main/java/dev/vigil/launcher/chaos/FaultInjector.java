package dev.vigil.launcher.chaos;

import dev.vigil.launcher.LauncherException;
import dev.vigil.launcher.control.ControlClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Injects and rolls back the faults of experiments: service faults through each service's chaos endpoint (always with
 * a TTL a little past the experiment, so a crashed runner leaves nothing broken), process and infrastructure faults
 * through the launcher's control API.
 */
public final class FaultInjector {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final ControlClient control;

	private final String chaosToken;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	public FaultInjector(ControlClient control, String chaosToken) {
		this.control = control;
		this.chaosToken = chaosToken;
	}

	public void inject(Experiment.FaultSpec fault) {
		switch (fault.kind()) {
			case "kill" -> control.post("/api/processes/" + fault.target() + "/kill");
			case "crash" -> control.post("/api/processes/" + fault.target() + "/crash");
			case "pause" -> control.post("/api/processes/" + fault.target() + "/pause");
			case "postgres-stop", "redis-stop", "kafka-stop" -> control.post("/api/infra/" + fault.target() + "/stop");
			default -> serviceFault(fault);
		}
	}

	public void rollback(Experiment.FaultSpec fault) {
		try {
			switch (fault.kind()) {
				case "kill" -> {
					// the supervisor restarts a killed process by itself
				}
				case "crash" -> {
					// Normally the remediator has restarted it by now; if not, bring it back so nothing stays broken.
					if ("EXITED".equals(processState(fault.target()))) {
						control.post("/api/processes/" + fault.target() + "/restart");
					}
				}
				case "pause" -> control.post("/api/processes/" + fault.target() + "/resume");
				case "postgres-stop", "redis-stop", "kafka-stop" -> control.post("/api/infra/" + fault.target() + "/start");
				default -> send(HttpRequest.newBuilder(chaosUri(fault.target())).DELETE(), "clear chaos of " + fault.target());
			}
		}
		catch (LauncherException ex) {
			// A remediator may have resumed or restarted the target already; that is not a failed rollback.
			System.err.println("[chaos]   rollback: " + ex.getMessage());
		}
	}

	private void serviceFault(Experiment.FaultSpec fault) {
		Map<String, Object> body = new LinkedHashMap<>(fault.parameters());
		body.put("type", fault.kind());
		body.put("ttl", fault.duration().plusSeconds(30).toSeconds() + "s");
		send(HttpRequest.newBuilder(chaosUri(fault.target()))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))), "inject " + fault.kind());
	}

	private String processState(String name) {
		for (JsonNode process : control.status().path("processes")) {
			if (name.equals(process.path("name").asString())) {
				return process.path("state").asString();
			}
		}
		return "";
	}

	private URI chaosUri(String service) {
		for (JsonNode process : control.status().path("processes")) {
			if (service.equals(process.path("name").asString()) && process.path("port").isInt()) {
				return URI.create("http://127.0.0.1:" + process.path("port").asInt() + "/actuator/chaos");
			}
		}
		throw new LauncherException("no running service named " + service);
	}

	private void send(HttpRequest.Builder request, String what) {
		try {
			HttpResponse<String> response = http.send(request.header("Authorization", "Bearer " + chaosToken)
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() / 100 != 2) {
				throw new LauncherException(what + " failed: HTTP " + response.statusCode() + " " + response.body());
			}
		}
		catch (IOException ex) {
			throw new LauncherException(what + " failed: " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new LauncherException("interrupted");
		}
	}

}
