package dev.vigil.gateway.system;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import dev.vigil.gateway.GatewayIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/** Every kind of bad request gets the right 4xx as problem JSON, and never reaches a downstream service. */
class ProblemResponseTests extends GatewayIntegrationTest {

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			malformed JSON          | {"items": [                                              | 400 |
			not an object           | [1, 2, 3]                                                | 400 |
			wrong type              | {"items":[{"productId":"sku-0001","quantity":"two"}]}    | 400 | items[0].quantity
			missing items           | {}                                                       | 400 | items
			empty items             | {"items":[]}                                             | 400 | items
			missing product id      | {"items":[{"quantity":1}]}                               | 400 | items[0].productId
			bad product id          | {"items":[{"productId":"../etc","quantity":1}]}          | 400 | items[0].productId
			zero quantity           | {"items":[{"productId":"sku-0001","quantity":0}]}        | 400 | items[0].quantity
			too many units          | {"items":[{"productId":"sku-0001","quantity":101}]}      | 400 | items[0].quantity
			null item               | {"items":[null]}                                         | 400 | items[0]
			""")
	void shouldRejectBadOrderBodies(String name, String body, int status, String field) {
		HttpResponse<String> response = placeOrder(USERS.token(newSubject()), "key-1", body);

		JsonNode problem = assertProblem(response, status);
		if (field != null) {
			assertThat(problem.get("errors").findValuesAsString("field")).contains(field);
		}
		assertThat(ORDERS.calls.get()).isZero();
	}

	@Test
	void shouldRejectMoreThanFiftyItems() {
		String items = "{\"productId\":\"sku-0001\",\"quantity\":1},".repeat(51);
		String body = "{\"items\":[" + items.substring(0, items.length() - 1) + "]}";

		JsonNode problem = assertProblem(placeOrder(USERS.token(newSubject()), "key-1", body), 400);

		assertThat(problem.get("errors").findValuesAsString("field")).contains("items");
	}

	@Test
	void shouldRequireAValidIdempotencyKey() {
		String body = "{\"items\":[{\"productId\":\"sku-0001\",\"quantity\":1}]}";
		String token = USERS.token(newSubject());

		assertProblem(placeOrder(token, null, body), 400);
		JsonNode tooLong = assertProblem(placeOrder(token, "k".repeat(129), body), 400);
		assertThat(tooLong.get("errors").findValuesAsString("field")).contains("Idempotency-Key");
		assertThat(ORDERS.calls.get()).isZero();
	}

	@Test
	void shouldRejectBodiesOverOneMebibyteWithAnnouncedLength() {
		String body = "{\"items\":[],\"pad\":\"" + "x".repeat(1024 * 1024) + "\"}";

		HttpResponse<String> response = send(request("/api/orders").header("Content-Type", "application/json")
			.header("Authorization", "Bearer " + USERS.token(newSubject()))
			.header("Idempotency-Key", "k")
			.expectContinue(true)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());

		assertProblem(response, 413);
	}

	@Test
	void shouldRejectChunkedBodiesOverOneMebibyte() {
		byte[] body = ("{\"items\":[],\"pad\":\"" + "x".repeat(1024 * 1024) + "\"}").getBytes();

		HttpResponse<String> response = send(request("/api/users").header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
			.build());

		assertProblem(response, 413);
		assertThat(USERS.received).isEmpty();
	}

	@Test
	void shouldAnswerUnknownRoutesMethodsAndMediaTypesWithProblems() {
		assertProblem(get("/api/nope", null), 404);
		assertProblem(get("/", null), 404);
		assertProblem(send(request("/api/products").DELETE().build()), 405);
		assertProblem(send(request("/api/users").header("Content-Type", "text/plain")
			.POST(HttpRequest.BodyPublishers.ofString("hi"))
			.build()), 415);
	}

	@ParameterizedTest
	@CsvSource({ "/api/products?pageSize=abc, pageSize", "/api/products?pageSize=0, pageSize",
			"/api/products?pageSize=201, pageSize", "/api/products/bad%20id, id", "/api/orders?pageSize=-1, pageSize" })
	void shouldValidateQueryAndPathParameters(String path, String field) {
		JsonNode problem = assertProblem(get(path, USERS.token(newSubject())), 400);

		assertThat(problem.get("errors").findValuesAsString("field")).contains(field);
	}

	@Test
	void shouldValidateRegistrationsBeforeCallingUsers() {
		HttpResponse<String> response = send(request("/api/users").header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"nope\",\"password\":\"short\"}"))
			.build());

		JsonNode problem = assertProblem(response, 400);
		assertThat(problem.get("errors").findValuesAsString("field")).containsExactlyInAnyOrder("email", "password",
				"name");
		assertThat(USERS.received).isEmpty();
	}

	@Test
	void shouldExposeHealthProbes() {
		assertThat(get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);
		assertThat(get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
	}

}
