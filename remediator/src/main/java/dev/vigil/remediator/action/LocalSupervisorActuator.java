package dev.vigil.remediator.action;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Local mode: asks the launcher's control API (./vigil's supervisor) to restart a process, and a service's chaos
 * endpoint to clear its faults. The control token is read when needed, because the launcher writes a new one on every
 * start.
 */
public final class LocalSupervisorActuator implements Actuator {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final URI controlUrl;

	private final Supplier<String> token;

	private final String chaosToken;

	private final HttpCalls http;

	public LocalSupervisorActuator(URI controlUrl, Supplier<String> token, String chaosToken, HttpCalls http) {
		this.controlUrl = controlUrl;
		this.token = token;
		this.chaosToken = chaosToken;
		this.http = http;
	}

	@Override
	public String platform() {
		return "local";
	}

	@Override
	public void restart(String target) {
		http.send(HttpRequest.newBuilder(controlUrl.resolve("/api/processes/" + target + "/restart"))
			.timeout(Duration.ofSeconds(60))
			.header("Authorization", "Bearer " + token.get())
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), "restart " + target + " through the launcher");
	}

	/** Two InstanceDown windows at the demo scale, plus the 15 s metric export interval: ample for a first export. */
	static final Duration STARTUP_GRACE = Duration.ofSeconds(60);

	/** The supervisor restarts crashed processes itself; restarting one it is bringing up would only start it over. */
	@Override
	public java.util.Optional<String> restartPointless(String target) {
		try {
			String body = http.send(HttpRequest.newBuilder(controlUrl.resolve("/api/status")).GET().build(), "launcher status");
			for (JsonNode process : JSON.readTree(body).path("processes")) {
				if (target.equals(process.path("name").asString())) {
					String state = process.path("state").asString();
					if (state.equals("STARTING") || state.equals("BACKING_OFF")) {
						return java.util.Optional.of("the supervisor is already (re)starting " + target + " (state " + state + ")");
					}
					// Ready but younger than the grace: its first metric export may still be on its way, so an
					// InstanceDown raised while it was starting is stale (like a Kubernetes startup probe's grace).
					JsonNode uptime = process.path("uptimeSeconds");
					if (state.equals("READY") && uptime.isNumber() && uptime.asLong() < STARTUP_GRACE.toSeconds()) {
						return java.util.Optional.of(target + " was (re)started " + uptime.asLong()
								+ " s ago and is ready; giving it " + STARTUP_GRACE.toSeconds() + " s to report");
					}
				}
			}
		}
		catch (RuntimeException ex) {
			// cannot tell: the restart itself will report what is wrong
		}
		return java.util.Optional.empty();
	}

	@Override
	public void scale(String target, int replicas) {
		throw new UnsupportedOperationException("local mode runs one process per service; scaling needs Kubernetes");
	}

	@Override
	public void disableChaos(String target) {
		int port = httpPort(target);
		http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/chaos"))
			.timeout(Duration.ofSeconds(10))
			.header("Authorization", "Bearer " + chaosToken)
			.DELETE()
			.build(), "clear chaos faults of " + target);
	}

	private int httpPort(String target) {
		String body = http.send(HttpRequest.newBuilder(controlUrl.resolve("/api/status")).GET().build(), "launcher status");
		for (JsonNode process : JSON.readTree(body).path("processes")) {
			if (target.equals(process.path("name").asString()) && process.path("port").isInt()) {
				return process.path("port").asInt();
			}
		}
		throw new ActuatorException("the launcher knows no process named " + target);
	}

}
