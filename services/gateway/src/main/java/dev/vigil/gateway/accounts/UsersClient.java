package dev.vigil.gateway.accounts;

import java.net.URI;
import java.net.http.HttpClient;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.vigil.gateway.resilience.Downstream;
import dev.vigil.gateway.resilience.DownstreamServerException;
import dev.vigil.gateway.system.GatewayProperties;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * Calls the users service. Its 2xx and 4xx answers (created, conflict, bad credentials, validation) are passed
 * through to our client; a 5xx or no answer is a failure of the dependency and counts against its circuit.
 * Neither is retried: registration is not idempotent, and a login retry could mask credential stuffing.
 * <p>
 * One 5xx is passed through as well: a 503 with Retry-After is users shedding load (every password-hashing slot is
 * busy), a deliberate answer of a healthy service. Counting it against the circuit would open it at the first
 * sign-in burst and refuse every sign-in for the open period while users' hashing slots stand idle; passed through,
 * users keeps hashing at its full rate and our client learns when to retry.
 */
@Component
class UsersClient {

	private final RestClient rest;

	private final Downstream downstream;

	private final JsonMapper json;

	UsersClient(RestClient.Builder builder, GatewayProperties properties, Downstream downstream, JsonMapper json) {
		HttpClient http = HttpClient.newBuilder()
			.connectTimeout(downstream.deadline())
			.version(HttpClient.Version.HTTP_1_1)
			.build();
		JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(http);
		requests.setReadTimeout(downstream.deadline());
		this.rest = builder.clone().baseUrl(properties.usersUrl().toString()).requestFactory(requests).build();
		this.downstream = downstream;
		this.json = json;
	}

	ResponseEntity<JsonNode> post(String path, Object body, String publicPath) {
		return this.downstream.call(Downstream.USERS, () -> this.rest.post()
			.uri(path)
			.contentType(MediaType.APPLICATION_JSON)
			.accept(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON)
			.body(body)
			.exchange((request, response) -> {
				HttpStatusCode status = response.getStatusCode();
				String retryAfter = response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER);
				boolean shedding = status.value() == HttpStatus.SERVICE_UNAVAILABLE.value() && retryAfter != null;
				if (status.is5xxServerError() && !shedding) {
					throw new DownstreamServerException(Downstream.USERS, status.value());
				}
				byte[] bytes = response.getBody().readAllBytes();
				JsonNode node = (bytes.length == 0) ? this.json.createObjectNode() : this.json.readTree(bytes);
				MediaType type = MediaType.APPLICATION_JSON;
				if (status.isError() && node instanceof ObjectNode problem) {
					// The users path is internal; the problem is about the public resource the client called.
					problem.put("instance", URI.create(publicPath).toString());
					type = MediaType.APPLICATION_PROBLEM_JSON;
				}
				// Answers carry tokens or personal data: no cache may keep them.
				ResponseEntity.BodyBuilder answer = ResponseEntity.status(status)
					.contentType(type)
					.cacheControl(CacheControl.noStore());
				if (shedding) {
					answer.header(HttpHeaders.RETRY_AFTER, retryAfter);
				}
				return answer.body(node);
			}));
	}

}
