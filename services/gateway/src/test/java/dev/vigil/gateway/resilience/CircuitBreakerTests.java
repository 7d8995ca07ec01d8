package dev.vigil.gateway.resilience;

import java.net.http.HttpResponse;
import java.time.Duration;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

import dev.vigil.gateway.GatewayIntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

class CircuitBreakerTests extends GatewayIntegrationTest {

	private static final String ONE_ITEM = "{\"items\":[{\"productId\":\"sku-0001\",\"quantity\":1}]}";

	@Test
	void shouldOpenTheCircuitAndStopCallingAFailingDependency() {
		ORDERS.fail(Status.UNAVAILABLE);
		String token = USERS.token(newSubject());

		// Window of 4 calls, 50 % threshold (test configuration).
		for (int i = 0; i < 4; i++) {
			assertProblem(placeOrder(token, "cb-" + i, ONE_ITEM), 503);
		}
		assertThat(this.downstream.state(Downstream.ORDERS).name()).isEqualTo("OPEN");
		int calls = ORDERS.calls.get();

		HttpResponse<String> rejected = placeOrder(token, "cb-open", ONE_ITEM);

		assertProblem(rejected, 503);
		assertThat(rejected.headers().firstValue("Retry-After")).hasValue("60");
		assertThat(ORDERS.calls.get()).isEqualTo(calls);
	}

	@Test
	void shouldNotCountBusinessAnswersAsFailures() {
		ORDERS.fail(Status.FAILED_PRECONDITION.withDescription("insufficient stock"));
		String token = USERS.token(newSubject());

		for (int i = 0; i < 8; i++) {
			assertProblem(placeOrder(token, "biz-" + i, ONE_ITEM), 409);
		}

		assertThat(this.downstream.state(Downstream.ORDERS).name()).isEqualTo("CLOSED");
	}

	@Test
	void shouldTreatASilentDependencyAsUnavailable() {
		// Behind a deadline: a call that never answers fails at the deadline (2 s) instead of hanging the client.
		ORDERS.goSilent();
		long started = System.nanoTime();

		assertProblem(get("/api/orders/ord-1", USERS.token(newSubject())), 503);

		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
		assertThat(ORDERS.calls.get()).isEqualTo(1);
	}

}
