package dev.vigil.gateway.resilience;

import java.util.List;

import io.grpc.Status;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.vigil.gateway.GatewayIntegrationTest;
import dev.vigil.platform.telemetry.testing.InMemorySpans;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** Retries and circuit-breaker decisions show on the request's server span (in-memory span exporter). */
class ResilienceSpanEventsTests extends GatewayIntegrationTest {

	private static final String ONE_ITEM = "{\"items\":[{\"productId\":\"sku-0001\",\"quantity\":1}]}";

	@Autowired
	InMemorySpans spans;

	@BeforeEach
	void noSpansYet() {
		this.spans.reset();
	}

	@Test
	void eachRetryOfAnIdempotentCallIsAnEventWithItsAttemptNumber() {
		ORDERS.fail(Status.UNAVAILABLE);

		assertProblem(get("/api/orders/ord-1", USERS.token(newSubject())), 503);

		SpanData server = serverSpan("/api/orders/{id}");
		List<EventData> retries = events(server, ResilienceSpanEvents.RETRY);
		// 3 attempts (test configuration default) = 2 retries, numbered 1 and 2, each caused by UNAVAILABLE.
		assertThat(retries).extracting((e) -> e.getAttributes().get(ResilienceSpanEvents.ATTEMPT)).containsExactly(1L, 2L);
		assertThat(retries).allSatisfy((e) -> {
			assertThat(e.getAttributes().get(ResilienceSpanEvents.RETRY_NAME)).isEqualTo(Downstream.ORDERS);
			assertThat(e.getAttributes().get(ResilienceSpanEvents.ERROR_TYPE)).isEqualTo("UNAVAILABLE");
		});
		// And the three attempts are three gRPC client spans under that server span.
		assertThat(this.spans.trace(server.getTraceId()))
			.filteredOn((s) -> s.getKind() == SpanKind.CLIENT && s.getName().equals("vigil.orders.v1.OrderService/GetOrder"))
			.hasSize(3);
	}

	@Test
	void aStateChangingCallIsNotRetriedSoHasNoRetryEvent() {
		ORDERS.fail(Status.UNAVAILABLE);

		assertProblem(placeOrder(USERS.token(newSubject()), "no-retry", ONE_ITEM), 503);

		assertThat(events(serverSpan("/api/orders"), ResilienceSpanEvents.RETRY)).isEmpty();
	}

	@Test
	void theCircuitOpeningAndTheCallsItRejectsAreEventsOnTheRequestSpan() {
		ORDERS.fail(Status.UNAVAILABLE);
		String token = USERS.token(newSubject());
		// Window of 4 calls, 50 % threshold (test configuration): the 4th failure opens the circuit.
		for (int i = 0; i < 4; i++) {
			assertProblem(placeOrder(token, "open-" + i, ONE_ITEM), 503);
		}
		List<EventData> transitions = this.spans.finished()
			.stream()
			.flatMap((s) -> events(s, ResilienceSpanEvents.STATE_TRANSITION).stream())
			.toList();
		assertThat(transitions).singleElement().satisfies((e) -> {
			assertThat(e.getAttributes().get(ResilienceSpanEvents.CIRCUIT_BREAKER)).isEqualTo(Downstream.ORDERS);
			assertThat(e.getAttributes().get(ResilienceSpanEvents.FROM_STATE)).isEqualTo("CLOSED");
			assertThat(e.getAttributes().get(ResilienceSpanEvents.STATE)).isEqualTo("OPEN");
		});
		this.spans.reset();

		assertProblem(placeOrder(token, "rejected", ONE_ITEM), 503);

		SpanData server = serverSpan("/api/orders");
		assertThat(events(server, ResilienceSpanEvents.REJECTED)).singleElement().satisfies((e) -> {
			assertThat(e.getAttributes().get(ResilienceSpanEvents.CIRCUIT_BREAKER)).isEqualTo(Downstream.ORDERS);
			assertThat(e.getAttributes().get(ResilienceSpanEvents.STATE)).isEqualTo("OPEN");
		});
		assertThat(this.spans.trace(server.getTraceId())).as("no call was tried")
			.noneMatch((s) -> s.getKind() == SpanKind.CLIENT);
	}

	private SpanData serverSpan(String route) {
		return this.spans.await("server span of " + route,
				(s) -> s.getKind() == SpanKind.SERVER && route.equals(s.getAttributes().get(AttributeKey.stringKey("http.route"))));
	}

	private static List<EventData> events(SpanData span, String name) {
		return span.getEvents().stream().filter((e) -> e.getName().equals(name)).toList();
	}

}
