package dev.vigil.remediator.action;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;

/**
 * Cluster mode on Kubernetes: `kubectl rollout restart` (the same restartedAt annotation on the pod template) and
 * `kubectl scale` (the scale subresource), through the API server with the pod's service-account token.
 */
public final class KubernetesActuator implements Actuator {

	private final URI apiServer;

	private final String namespace;

	private final String token;

	private final HttpCalls http;

	private final Clock clock;

	public KubernetesActuator(URI apiServer, String namespace, String token, HttpCalls http, Clock clock) {
		this.apiServer = apiServer;
		this.namespace = namespace;
		this.token = token;
		this.http = http;
		this.clock = clock;
	}

	@Override
	public String platform() {
		return "kubernetes";
	}

	@Override
	public void restart(String target) {
		String patch = "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/restartedAt\":\""
				+ clock.instant() + "\"}}}}}";
		patch(deployment(target), "application/strategic-merge-patch+json", patch, "rollout restart of " + target);
	}

	@Override
	public void scale(String target, int replicas) {
		patch(deployment(target) + "/scale", "application/merge-patch+json", "{\"spec\":{\"replicas\":" + replicas + "}}",
				"scale " + target + " to " + replicas);
	}

	@Override
	public void disableChaos(String target) {
		throw new UnsupportedOperationException("chaos faults are cleared through the service's chaos endpoint; in "
				+ "Kubernetes they expire by their TTL");
	}

	private String deployment(String target) {
		return "/apis/apps/v1/namespaces/" + namespace + "/deployments/" + target;
	}

	private void patch(String path, String contentType, String body, String what) {
		http.send(HttpRequest.newBuilder(apiServer.resolve(path))
			.timeout(Duration.ofSeconds(10))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", contentType)
			.method("PATCH", HttpRequest.BodyPublishers.ofString(body))
			.build(), what);
	}

}
