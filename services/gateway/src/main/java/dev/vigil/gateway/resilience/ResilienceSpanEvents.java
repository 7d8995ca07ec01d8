package dev.vigil.gateway.resilience;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;

/**
 * Makes Resilience4j's decisions visible on the trace of the request they affect, as span events on the current
 * span (the gateway's server span): a retry with its attempt number and cause, a call the open circuit rejected
 * without trying, and a circuit changing state. Without them a trace shows two gRPC client spans, or none, and the
 * reader has to guess why; the metrics ({@code resilience4j_*}) only say how often.
 * <p>
 * Resilience4j publishes these events synchronously on the calling thread (the blocking decorators used by
 * {@link Downstream}), so {@link Span#current()} is the request's span. With tracing disabled it is the no-op span
 * and this costs nothing. There is no semantic convention for resilience events; the names follow Resilience4j's own
 * event types under a {@code resilience4j.} prefix.
 */
final class ResilienceSpanEvents {

	static final String RETRY = "resilience4j.retry";

	static final String REJECTED = "resilience4j.circuitbreaker.rejected";

	static final String STATE_TRANSITION = "resilience4j.circuitbreaker.state_transition";

	static final AttributeKey<String> CIRCUIT_BREAKER = AttributeKey.stringKey("resilience4j.circuitbreaker.name");

	static final AttributeKey<String> STATE = AttributeKey.stringKey("resilience4j.circuitbreaker.state");

	static final AttributeKey<String> FROM_STATE = AttributeKey.stringKey("resilience4j.circuitbreaker.from_state");

	static final AttributeKey<String> RETRY_NAME = AttributeKey.stringKey("resilience4j.retry.name");

	static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("resilience4j.retry.attempt");

	static final AttributeKey<Long> WAIT_MS = AttributeKey.longKey("resilience4j.retry.wait_ms");

	static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

	private ResilienceSpanEvents() {
	}

	/** Attaches to every circuit breaker and retry of these registries, including those created later. */
	static void bindTo(CircuitBreakerRegistry circuitBreakers, RetryRegistry retries) {
		circuitBreakers.getAllCircuitBreakers().forEach(ResilienceSpanEvents::attach);
		circuitBreakers.getEventPublisher().onEntryAdded((added) -> attach(added.getAddedEntry()));
		retries.getAllRetries().forEach(ResilienceSpanEvents::attach);
		retries.getEventPublisher().onEntryAdded((added) -> attach(added.getAddedEntry()));
	}

	private static void attach(CircuitBreaker breaker) {
		breaker.getEventPublisher()
			.onCallNotPermitted((event) -> Span.current()
				.addEvent(REJECTED, Attributes.of(CIRCUIT_BREAKER, event.getCircuitBreakerName(), STATE,
						breaker.getState().name())))
			.onStateTransition((event) -> Span.current()
				.addEvent(STATE_TRANSITION,
						Attributes.of(CIRCUIT_BREAKER, event.getCircuitBreakerName(), FROM_STATE,
								event.getStateTransition().getFromState().name(), STATE,
								event.getStateTransition().getToState().name())));
	}

	private static void attach(Retry retry) {
		retry.getEventPublisher()
			.onRetry((event) -> Span.current()
				.addEvent(RETRY,
						Attributes.of(RETRY_NAME, event.getName(), ATTEMPT, (long) event.getNumberOfRetryAttempts(),
								WAIT_MS, event.getWaitInterval().toMillis(), ERROR_TYPE, errorType(event.getLastThrowable()))));
	}

	/** The gRPC status code for gRPC failures (what a reader filters on), else the exception class. */
	private static String errorType(Throwable failure) {
		if (failure instanceof StatusRuntimeException grpc) {
			return grpc.getStatus().getCode().name();
		}
		return (failure != null) ? failure.getClass().getName() : "unknown";
	}

}
