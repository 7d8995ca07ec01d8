package dev.vigil.gateway.accounts;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import dev.vigil.gateway.GatewayIntegrationTest;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** The users service is unreachable: what needs it fails with 503, public reads keep working. */
class UsersDownTests extends GatewayIntegrationTest {

	@DynamicPropertySource
	static void unreachableJwks(DynamicPropertyRegistry registry) throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		registry.add("vigil.gateway.auth.jwks-url",
				() -> "http://127.0.0.1:" + closedPort + "/.well-known/jwks.json");
	}

	@Test
	void shouldAnswer503WhenTokensCannotBeVerified() {
		HttpResponse<String> response = get("/api/orders", USERS.token(newSubject()));

		assertProblem(response, 503);
		assertThat(response.headers().firstValue("Retry-After")).isPresent();
		assertThat(ORDERS.calls.get()).isZero();
	}

	@Test
	void shouldAnswer503ForRegistrationsAndKeepServingPublicReads() {
		USERS.dropConnections();

		HttpResponse<String> registration = send(request("/api/users").header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers
				.ofString("{\"email\":\"a@example.com\",\"password\":\"long-enough\",\"name\":\"A\"}"))
			.build());

		assertProblem(registration, 503);
		assertThat(get("/api/products", null).statusCode()).isEqualTo(200);
	}

}
