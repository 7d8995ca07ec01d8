package dev.vigil.gateway.resilience;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

import dev.vigil.gateway.system.GatewayProperties;
import dev.vigil.platform.grpc.GrpcStatusProblems;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;

/**
 * The single way the gateway calls another service: every call goes through that dependency's circuit breaker;
 * idempotent calls are also retried on UNAVAILABLE. Deadlines are set by the callers on the call itself (gRPC
 * deadline, HTTP read timeout) rather than by a Resilience4j TimeLimiter, so the downstream sees the deadline too
 * and no extra thread is needed.
 * <p>
 * Only infrastructure failures count against a circuit: a NOT_FOUND or an out-of-stock answer is a healthy
 * dependency answering.
 */
@Component
public class Downstream {

	public static final String INVENTORY = "inventory";

	public static final String ORDERS = "orders";

	public static final String USERS = "users";

	private final CircuitBreakerRegistry circuitBreakers;

	private final RetryRegistry retries;

	private final Duration deadline;

	private final Duration openDuration;

	Downstream(GatewayProperties properties, ObjectProvider<MeterRegistry> meterRegistry) {
		GatewayProperties.Resilience config = properties.resilience();
		this.deadline = config.deadline();
		this.openDuration = config.openDuration();
		this.circuitBreakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
			.failureRateThreshold(config.failureRateThreshold())
			.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
			.slidingWindowSize(config.slidingWindowSize())
			.minimumNumberOfCalls(config.minimumNumberOfCalls())
			.waitDurationInOpenState(config.openDuration())
			.permittedNumberOfCallsInHalfOpenState(3)
			.automaticTransitionFromOpenToHalfOpenEnabled(false)
			.recordException(Downstream::isInfrastructureFailure)
			.build());
		this.retries = RetryRegistry.of(RetryConfig.custom()
			.maxAttempts(Math.max(1, config.retryMaxAttempts()))
			.intervalFunction(IntervalFunction.ofExponentialBackoff(config.retryBackoff(), 2.0))
			.retryOnException(isUnavailable())
			.build());
		ResilienceSpanEvents.bindTo(this.circuitBreakers, this.retries);
		meterRegistry.ifAvailable((registry) -> {
			TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(this.circuitBreakers).bindTo(registry);
			TaggedRetryMetrics.ofRetryRegistry(this.retries).bindTo(registry);
		});
	}

	/** A call that must not be repeated (it changes state): circuit breaker only. */
	public <T> T call(String dependency, Supplier<T> call) {
		return this.circuitBreakers.circuitBreaker(dependency).executeSupplier(call);
	}

	/** A read: circuit breaker, and retried with backoff while the dependency answers UNAVAILABLE. */
	public <T> T callIdempotent(String dependency, Supplier<T> call) {
		CircuitBreaker breaker = this.circuitBreakers.circuitBreaker(dependency);
		Retry retry = this.retries.retry(dependency);
		return Retry.decorateSupplier(retry, CircuitBreaker.decorateSupplier(breaker, call)).get();
	}

	public Duration deadline() {
		return this.deadline;
	}

	Duration openDuration() {
		return this.openDuration;
	}

	/** Closes every circuit; for operators (and tests) after an incident. */
	public void reset() {
		this.circuitBreakers.getAllCircuitBreakers().forEach(CircuitBreaker::reset);
	}

	public CircuitBreaker.State state(String dependency) {
		return this.circuitBreakers.circuitBreaker(dependency).getState();
	}

	/** Whether the failure says the dependency is unhealthy (as opposed to answering about the request). */
	public static boolean isInfrastructureFailure(Throwable ex) {
		if (ex instanceof StatusRuntimeException grpc) {
			return GrpcStatusProblems.isTransient(grpc.getStatus());
		}
		return ex instanceof ResourceAccessException || ex instanceof DownstreamServerException
				|| ex instanceof CallNotPermittedException;
	}

	private static Predicate<Throwable> isUnavailable() {
		return (ex) -> ex instanceof StatusRuntimeException grpc
				&& grpc.getStatus().getCode() == Status.Code.UNAVAILABLE;
	}

}
