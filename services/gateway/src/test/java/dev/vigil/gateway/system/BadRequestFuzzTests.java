package dev.vigil.gateway.system;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import dev.vigil.gateway.GatewayIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Throws generated bad requests at the gateway (paths, methods, headers, bodies, tokens) with every dependency
 * healthy, and requires that none of them is answered with a 5xx: bad input is always the client's problem.
 */
class BadRequestFuzzTests extends GatewayIntegrationTest {

	private static final int REQUESTS = 1_500;

	private static final String[] METHODS = { "GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD" };

	private static final String[] PATHS = { "/api/orders", "/api/orders/", "/api/orders/{id}", "/api/products",
			"/api/products/{id}", "/api/users", "/api/sessions", "/api/{id}", "/{id}", "/api/orders/{id}/{id}",
			"/actuator/{id}", "/api/products/{id}/..", "/api//orders", "/api/orders?pageSize={id}",
			"/api/products?pageSize={id}&pageToken={id}", "/api/products?pageToken={id}" };

	private static final String[] CONTENT_TYPES = { "application/json", "application/json; charset=UTF-8",
			"application/json; charset=bogus", "text/plain", "application/xml", "a/b", "*/*", "multipart/form-data",
			"application/x-www-form-urlencoded", "application/problem+json", "" };

	private static final String[] ACCEPTS = { "application/json", "application/xml", "text/html", "*/*", "x/y",
			"application/problem+json", "text/event-stream", "garbage" };

	private final Random random = new Random(Long.getLong("fuzz.seed", 20261123L));

	@Test
	void shouldNeverAnswerABadRequestWithAServerError() {
		List<String> failures = new ArrayList<>();
		Set<Integer> statuses = new TreeSet<>();
		int sent = 0;
		for (int i = 0; i < REQUESTS; i++) {
			HttpRequest request;
			try {
				request = randomRequest();
			}
			catch (IllegalArgumentException ex) {
				continue; // the client library refuses to send it; not a request the gateway can see
			}
			HttpResponse<String> response = send(request);
			sent++;
			statuses.add(response.statusCode());
			if (response.statusCode() >= 500) {
				failures.add(request.method() + " " + request.uri() + " " + request.headers().map() + " -> "
						+ response.statusCode() + " " + response.body());
			}
		}

		assertThat(sent).isGreaterThanOrEqualTo(1_000);
		assertThat(failures).isEmpty();
		// The generator must actually reach the interesting paths, not just bounce off one check.
		assertThat(statuses).contains(200, 400, 401, 404, 405, 415);
	}

	private HttpRequest randomRequest() {
		String method = pick(METHODS);
		String path = pick(PATHS);
		while (path.contains("{id}")) {
			path = path.replaceFirst("\\{id}", randomSegment());
		}
		HttpRequest.Builder builder = request("/").uri(URI.create(uri("").toString() + path));
		if (this.random.nextInt(3) > 0) {
			builder.header("Authorization", randomAuthorization());
		}
		if (this.random.nextBoolean()) {
			builder.header("Idempotency-Key", pick(new String[] { "", "k", "k".repeat(129), "with space",
					"ünïcödé", randomSegment() }));
		}
		String contentType = pick(CONTENT_TYPES);
		if (!contentType.isEmpty()) {
			builder.header("Content-Type", contentType);
		}
		if (this.random.nextBoolean()) {
			builder.header("Accept", pick(ACCEPTS));
		}
		if (this.random.nextInt(4) == 0) {
			builder.header("X-Fuzz-" + this.random.nextInt(100), randomText(20));
		}
		byte[] body = randomBody();
		HttpRequest.BodyPublisher publisher = (body.length == 0) ? HttpRequest.BodyPublishers.noBody()
				: HttpRequest.BodyPublishers.ofByteArray(body);
		return builder.method(method, publisher).build();
	}

	private String randomAuthorization() {
		String subject = newSubject();
		return switch (this.random.nextInt(10)) {
			case 0 -> "Bearer " + USERS.token(subject);
			case 1 -> "Bearer " + USERS.expiredToken(subject);
			case 2 -> "Bearer " + USERS.forgedToken(subject);
			case 3 -> "Bearer " + USERS.unsignedToken(subject);
			case 4 -> "Bearer " + USERS.hmacToken(subject);
			case 5 -> "Bearer " + randomText(40);
			case 6 -> "Bearer " + mutate(USERS.token(subject));
			case 7 -> "Basic " + randomText(12);
			case 8 -> "Bearer";
			default -> "bearer " + USERS.token(subject);
		};
	}

	private byte[] randomBody() {
		String order = "{\"items\":[{\"productId\":\"sku-0001\",\"quantity\":2}]}";
		String registration = "{\"email\":\"a@example.com\",\"password\":\"long-enough\",\"name\":\"A\"}";
		return switch (this.random.nextInt(14)) {
			case 0 -> new byte[0];
			case 1 -> mutate(order).getBytes(StandardCharsets.UTF_8);
			case 2 -> mutate(registration).getBytes(StandardCharsets.UTF_8);
			case 3 -> "[".repeat(5_000).getBytes(StandardCharsets.UTF_8);
			case 4 -> "{\"items\":[{\"productId\":\"sku-0001\",\"quantity\":99999999999999999999999}]}"
				.getBytes(StandardCharsets.UTF_8);
			case 5 -> "{\"items\":[{\"productId\":\"sku-0001\",\"quantity\":1e400}]}".getBytes(StandardCharsets.UTF_8);
			case 6 -> "{\"items\":{\"productId\":\"sku-0001\"}}".getBytes(StandardCharsets.UTF_8);
			case 7 -> {
				byte[] bytes = new byte[this.random.nextInt(2_000)];
				this.random.nextBytes(bytes);
				yield bytes;
			}
			case 8 -> ("{\"email\":" + "\"" + randomText(300) + "\"}").getBytes(StandardCharsets.UTF_8);
			case 9 -> "null".getBytes(StandardCharsets.UTF_8);
			case 10 -> "{\"items\":[{\"productId\":null,\"quantity\":null}],\"extra\":true}"
				.getBytes(StandardCharsets.UTF_8);
			case 11 -> ("{\"email\":\"a@b.c\",\"password\":\"" + "é".repeat(70) + "\",\"name\":\"x\"}")
				.getBytes(StandardCharsets.UTF_8);
			case 12 -> "\"just a string\"".getBytes(StandardCharsets.UTF_8);
			default -> order.getBytes(StandardCharsets.UTF_8);
		};
	}

	private String mutate(String text) {
		StringBuilder mutated = new StringBuilder(text);
		int edits = 1 + this.random.nextInt(4);
		for (int i = 0; i < edits && mutated.length() > 0; i++) {
			int at = this.random.nextInt(mutated.length());
			switch (this.random.nextInt(3)) {
				case 0 -> mutated.deleteCharAt(at);
				case 1 -> mutated.insert(at, (char) (32 + this.random.nextInt(95)));
				default -> mutated.setCharAt(at, (char) (32 + this.random.nextInt(95)));
			}
		}
		return mutated.toString();
	}

	private String randomSegment() {
		return switch (this.random.nextInt(8)) {
			case 0 -> "sku-0001";
			case 1 -> "ord-1";
			case 2 -> "x".repeat(65 + this.random.nextInt(300));
			case 3 -> "%20%2e%2e";
			case 4 -> "%F0%9F%98%80";
			case 5 -> "-1";
			case 6 -> "" + this.random.nextLong();
			default -> randomUrlSafe(1 + this.random.nextInt(20));
		};
	}

	private String randomUrlSafe(int length) {
		String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:@!$'()*+,;=";
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < length; i++) {
			text.append(alphabet.charAt(this.random.nextInt(alphabet.length())));
		}
		return text.toString();
	}

	private String randomText(int maxLength) {
		StringBuilder text = new StringBuilder();
		int length = this.random.nextInt(maxLength + 1);
		for (int i = 0; i < length; i++) {
			text.append((char) (33 + this.random.nextInt(94)));
		}
		return text.toString();
	}

	private <T> T pick(T[] values) {
		return values[this.random.nextInt(values.length)];
	}

}
