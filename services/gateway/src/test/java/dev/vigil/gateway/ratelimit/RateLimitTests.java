package dev.vigil.gateway.ratelimit;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import dev.vigil.gateway.GatewayIntegrationTest;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

@TestPropertySource(properties = { "vigil.gateway.rate-limit.requests-per-second=0.5",
		"vigil.gateway.rate-limit.burst=3", "vigil.gateway.rate-limit.max-clients=50" })
class RateLimitTests extends GatewayIntegrationTest {

	@Autowired
	ClientRateLimiter limiter;

	@Test
	void shouldRefuseAClientOverItsBudgetWithRetryAfter() {
		String token = USERS.token(newSubject());
		for (int i = 0; i < 3; i++) {
			assertThat(get("/api/orders", token).statusCode()).isEqualTo(200);
		}

		HttpResponse<String> refused = get("/api/orders", token);

		assertProblem(refused, 429);
		// 0.5 tokens/s: the next token is at most 2 s away.
		assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(
				(seconds) -> assertThat(Integer.parseInt(seconds)).isBetween(1, 2));
		// Another authenticated client has its own budget, even from the same address.
		assertThat(get("/api/orders", USERS.token(newSubject())).statusCode()).isEqualTo(200);
	}

	@Test
	void shouldNeverLimitHealthProbes() {
		for (int i = 0; i < 10; i++) {
			assertThat(get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
		}
	}

	@Test
	void shouldTrackABoundedNumberOfClients() {
		for (int i = 0; i < 5_000; i++) {
			this.limiter.tryAcquire("flood-" + i);
		}

		assertThat(this.limiter.trackedClients()).isLessThanOrEqualTo(50);
	}

}
