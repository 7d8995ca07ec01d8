package dev.vigil.gateway.accounts;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.vigil.gateway.GatewayIntegrationTest;
import dev.vigil.gateway.resilience.Downstream;

import static org.assertj.core.api.Assertions.assertThat;

class AccountsProxyTests extends GatewayIntegrationTest {

	private static final String REGISTRATION = "{\"email\":\"a@example.com\",\"password\":\"long-enough\",\"name\":\"A\"}";

	private HttpResponse<String> post(String path, String body) {
		return send(request(path).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
	}

	@Test
	void shouldForwardRegistrations() {
		HttpResponse<String> response = post("/api/users", REGISTRATION);

		assertThat(response.statusCode()).isEqualTo(201);
		assertThat(json(response).get("email").asString()).isEqualTo("a@example.com");
		assertThat(USERS.received).singleElement().satisfies((body) -> assertThat(body).contains("long-enough"));
	}

	@Test
	void shouldPassOnConflictsAsProblemsAboutThePublicPath() {
		USERS.answerRegistrationsWith(409);

		JsonNode problem = assertProblem(post("/api/users", REGISTRATION), 409);

		assertThat(problem.get("instance").asString()).isEqualTo("/api/users");
	}

	@Test
	void shouldTurnUsersServerErrorsInto502() {
		USERS.answerRegistrationsWith(500);

		assertProblem(post("/api/users", REGISTRATION), 502);
	}

	@Test
	void shouldTurnA503WithoutRetryAfterIntoAFailureOfUsers() {
		USERS.answerRegistrationsWith(503);

		assertProblem(post("/api/users", REGISTRATION), 502);
	}

	@Test
	void shouldPassOnLoadSheddingWithItsRetryAfterAndKeepTheCircuitClosed() {
		USERS.shedRegistrations("1");

		// More refusals than the circuit's window (4 calls, 50 % in the test configuration) needs to open.
		for (int i = 0; i < 8; i++) {
			HttpResponse<String> response = post("/api/users", REGISTRATION);
			JsonNode problem = assertProblem(response, 503);
			assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
			assertThat(problem.get("instance").asString()).isEqualTo("/api/users");
		}

		assertThat(this.downstream.state(Downstream.USERS).name()).isEqualTo("CLOSED");
		assertThat(USERS.received).hasSize(8);
	}

	@Test
	void shouldIssueSessionsThatTheGatewayAccepts() {
		HttpResponse<String> session = post("/api/sessions", "{\"email\":\"a@example.com\",\"password\":\"x\"}");

		assertThat(session.statusCode()).isEqualTo(200);
		String token = json(session).get("accessToken").asString();
		assertThat(get("/api/orders", token).statusCode()).isEqualTo(200);
	}

}
