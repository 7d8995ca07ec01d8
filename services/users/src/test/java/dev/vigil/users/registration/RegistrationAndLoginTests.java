package dev.vigil.users.registration;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import dev.vigil.users.UsersIntegrationTest;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class RegistrationAndLoginTests extends UsersIntegrationTest {

	private static String uniqueEmail() {
		return "user-" + UUID.randomUUID() + "@example.com";
	}

	private HttpResponse<String> register(String email, String password, String name) throws Exception {
		return post("/internal/users", JSON.writeValueAsString(java.util.Map.of("email", email, "password", password,
				"name", name)));
	}

	private HttpResponse<String> login(String email, String password) throws Exception {
		return post("/internal/sessions",
				JSON.writeValueAsString(java.util.Map.of("email", email, "password", password)));
	}

	@Test
	void shouldRegisterAUserAndNeverReturnThePassword() throws Exception {
		String email = uniqueEmail();
		HttpResponse<String> response = register(email, "correct horse battery", "Ada");

		assertThat(response.statusCode()).isEqualTo(201);
		JsonNode body = json(response);
		assertThat(UUID.fromString(body.get("id").asString())).isNotNull();
		assertThat(body.get("email").asString()).isEqualTo(email);
		assertThat(body.get("name").asString()).isEqualTo("Ada");
		assertThat(response.body()).doesNotContain("correct horse battery").doesNotContain("password");
	}

	@Test
	void shouldRejectADuplicateEmailInAnyCaseWith409() throws Exception {
		String email = uniqueEmail();
		assertThat(register(email, "password-1", "First").statusCode()).isEqualTo(201);

		HttpResponse<String> same = register(email, "password-2", "Second");
		HttpResponse<String> otherCase = register(email.toUpperCase(), "password-3", "Third");

		for (HttpResponse<String> response : List.of(same, otherCase)) {
			assertThat(response.statusCode()).isEqualTo(409);
			assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			JsonNode problem = json(response);
			assertThat(problem.get("status").asInt()).isEqualTo(409);
			assertThat(problem.get("instance").asString()).isEqualTo("/internal/users");
		}
	}

	@Test
	void shouldRegisterAnEmailOnceUnderConcurrentAttempts() throws Exception {
		String email = uniqueEmail();
		java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
		try {
			List<java.util.concurrent.Future<Integer>> attempts = new java.util.ArrayList<>();
			for (int i = 0; i < 8; i++) {
				String spelling = (i % 2 == 0) ? email : email.toUpperCase();
				attempts.add(pool.submit(() -> register(spelling, "password-" + spelling, "Racer").statusCode()));
			}
			List<Integer> statuses = new java.util.ArrayList<>();
			for (java.util.concurrent.Future<Integer> attempt : attempts) {
				statuses.add(attempt.get());
			}
			assertThat(statuses).containsOnlyOnce(201).containsOnly(201, 409);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void shouldRejectInvalidRegistrationsWithFieldErrors() throws Exception {
		HttpResponse<String> response = register("not-an-email", "short", " ");

		assertThat(response.statusCode()).isEqualTo(400);
		JsonNode problem = json(response);
		assertThat(problem.get("errors").findValuesAsString("field")).containsExactlyInAnyOrder("email", "password",
				"name");
	}

	@Test
	void shouldRejectPasswordsLongerThanBcryptCanHash() throws Exception {
		HttpResponse<String> response = register(uniqueEmail(), "é".repeat(40), "Long");

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(json(response).get("errors").get(0).get("field").asString()).isEqualTo("password");
	}

	@Test
	void shouldIssueATokenThatVerifiesAgainstTheJwks() throws Exception {
		String email = uniqueEmail();
		String userId = json(register(email, "s3cret-passw0rd", "Grace")).get("id").asString();

		HttpResponse<String> response = login(email.toUpperCase(), "s3cret-passw0rd");

		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode session = json(response);
		assertThat(session.get("tokenType").asString()).isEqualTo("Bearer");
		assertThat(session.get("expiresIn").asLong()).isEqualTo(3600);
		SignedJWT jwt = SignedJWT.parse(session.get("accessToken").asString());
		assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);

		HttpResponse<String> jwksResponse = get("/.well-known/jwks.json");
		assertThat(jwksResponse.statusCode()).isEqualTo(200);
		assertThat(jwksResponse.body()).doesNotContain("\"d\"").doesNotContain("\"p\"");
		JWKSet jwks = JWKSet.parse(jwksResponse.body());
		RSAKey key = (RSAKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
		assertThat(key).isNotNull();
		assertThat(key.isPrivate()).isFalse();
		assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
		assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo(userId);
		assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo("vigil-users");
		assertThat(jwt.getJWTClaimsSet().getStringClaim("email")).isEqualTo(email);
		assertThat(jwt.getJWTClaimsSet().getExpirationTime()).isAfter(new Date());
	}

	@Test
	void shouldAnswerWrongPasswordAndUnknownEmailIdentically() throws Exception {
		String email = uniqueEmail();
		register(email, "right-password", "Linus");

		HttpResponse<String> wrongPassword = login(email, "wrong-password");
		HttpResponse<String> unknownEmail = login(uniqueEmail(), "right-password");

		assertThat(wrongPassword.statusCode()).isEqualTo(401);
		assertThat(unknownEmail.statusCode()).isEqualTo(401);
		assertThat(json(wrongPassword).get("detail")).isEqualTo(json(unknownEmail).get("detail"));
		assertThat(wrongPassword.headers().firstValue("Content-Type")).hasValue("application/problem+json");
	}

	@Test
	void shouldAnswerProtocolErrorsWithProblemDetails() throws Exception {
		HttpResponse<String> malformed = post("/internal/users", "{\"email\": ");
		HttpResponse<String> wrongType = post("/internal/users", "{\"email\": [1], \"password\": 1, \"name\": {}}");
		HttpResponse<String> unknownRoute = get("/internal/nope");
		HttpResponse<String> wrongMethod = get("/internal/users");
		HttpResponse<String> wrongMediaType = send(HttpRequest.newBuilder(uri("/internal/users"))
			.header("Content-Type", "text/plain")
			.POST(HttpRequest.BodyPublishers.ofString("hello"))
			.build());
		HttpResponse<String> tooLarge = post("/internal/users",
				"{\"email\": \"" + "a".repeat(1024 * 1024 + 10) + "\"}");

		assertProblem(malformed, 400);
		assertProblem(wrongType, 400);
		assertProblem(unknownRoute, 404);
		assertProblem(wrongMethod, 405);
		assertProblem(wrongMediaType, 415);
		assertProblem(tooLarge, 413);
	}

	private static void assertProblem(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = json(response);
		assertThat(problem.get("status").asInt()).isEqualTo(status);
		assertThat(problem.get("type").asString()).isEqualTo("about:blank");
		assertThat(problem.has("title")).isTrue();
		assertThat(problem.has("instance")).isTrue();
		assertThat(response.body()).doesNotContain("Exception").doesNotContain("at dev.vigil");
	}

	@Test
	void shouldExposeHealthProbes() throws Exception {
		assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
		HttpResponse<String> readiness = get("/actuator/health/readiness");
		assertThat(readiness.statusCode()).isEqualTo(200);
		assertThat(json(readiness).get("status").asString()).isEqualTo("UP");
	}

	@Test
	void shouldNeverLogPasswordsEmailsOrTokens(CapturedOutput output) throws Exception {
		String email = uniqueEmail();
		String password = "Never-Log-Me-" + UUID.randomUUID();
		register(email, password, "Quiet");
		register(email, password, "Quiet");
		String token = json(login(email, password)).get("accessToken").asString();
		login(email, password + "x");

		assertThat(output.getAll()).contains("/internal/sessions");
		assertThat(output.getAll()).doesNotContain(password).doesNotContain(email).doesNotContain(token);
	}

}
