package dev.vigil.gateway.orders;

import java.net.http.HttpResponse;

import io.grpc.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import dev.vigil.gateway.GatewayIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

class OrderRoutingTests extends GatewayIntegrationTest {

	private static final String ONE_ITEM = "{\"items\":[{\"productId\":\"sku-0001\",\"quantity\":2}]}";

	@Test
	void shouldPlaceAnOrderAndAnswerInCamelCase() {
		HttpResponse<String> response = placeOrder(USERS.token(newSubject()), "idem-1", ONE_ITEM);

		assertThat(response.statusCode()).isEqualTo(201);
		JsonNode order = json(response);
		assertThat(response.headers().firstValue("Location")).hasValue("/api/orders/" + order.get("id").asString());
		assertThat(order.get("status").asString()).isEqualTo("CONFIRMED");
		assertThat(order.get("totalCents").asLong()).isEqualTo(4200);
		assertThat(order.get("items").get(0).get("productId").asString()).isEqualTo("sku-0001");
		assertThat(order.get("items").get(0).get("quantity").asInt()).isEqualTo(2);
	}

	@Test
	void shouldReadTheCallersOrders() {
		String subject = newSubject();

		HttpResponse<String> one = get("/api/orders/ord-7", USERS.token(subject));
		HttpResponse<String> all = get("/api/orders?pageSize=10", USERS.token(subject));
		HttpResponse<String> missing = get("/api/orders/unknown-1", USERS.token(subject));

		assertThat(one.statusCode()).isEqualTo(200);
		assertThat(json(one).get("id").asString()).isEqualTo("ord-7");
		assertThat(json(all).get("orders")).hasSize(2);
		assertProblem(missing, 404);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			INVALID_ARGUMENT    | quantity must be positive           | 400
			NOT_FOUND           | product sku-0001 not found          | 404
			ALREADY_EXISTS      | exists                              | 409
			FAILED_PRECONDITION | insufficient stock for sku-0001     | 409
			FAILED_PRECONDITION | payment declined: card expired      | 422
			UNAVAILABLE         | payments down                       | 503
			DEADLINE_EXCEEDED   | too slow                            | 503
			RESOURCE_EXHAUSTED  | busy                                | 429
			INTERNAL            | NullPointerException in Foo         | 502
			""")
	void shouldMapOrderErrorsToHttp(Status.Code code, String description, int status) {
		ORDERS.fail(Status.fromCode(code).withDescription(description));

		JsonNode problem = assertProblem(placeOrder(USERS.token(newSubject()), "idem-2", ONE_ITEM), status);

		if (status < 500 && status != 429) {
			assertThat(problem.get("detail").asString()).isEqualTo(description);
		}
		else {
			assertThat(problem.get("detail").asString()).doesNotContain(description);
		}
	}

	@Test
	void shouldNeverRetryPlaceOrderButRetryReads() {
		ORDERS.fail(Status.UNAVAILABLE);
		String token = USERS.token(newSubject());

		assertProblem(placeOrder(token, "idem-3", ONE_ITEM), 503);
		assertThat(ORDERS.calls.get()).isEqualTo(1);

		ORDERS.reset();
		this.downstream.reset();
		ORDERS.fail(Status.UNAVAILABLE);
		assertProblem(get("/api/orders", token), 503);
		assertThat(ORDERS.calls.get()).isEqualTo(3);
	}

}
