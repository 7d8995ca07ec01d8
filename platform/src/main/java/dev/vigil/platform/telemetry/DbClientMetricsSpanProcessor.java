package dev.vigil.platform.telemetry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Derives the semconv metric {@code db.client.operation.duration} (unit s) from the JDBC client spans, and records it
 * in Micrometer so that it reaches both OTLP and {@code /actuator/prometheus} with the shared latency buckets.
 * <p>
 * Why from spans: the OpenTelemetry JDBC instrumentation records this metric through the OpenTelemetry metrics API,
 * but in a Spring Boot application metrics flow through Micrometer and there is no OpenTelemetry {@code MeterProvider}.
 * Limit: only recorded (sampled) spans are measured, so with a sampling ratio below 1 the counts are a sample too;
 * the latency distribution stays representative.
 * <p>
 * The timers are looked up by their four tag values in a map of their own: building and registering a timer per span
 * (a meter id, its tags sorted, the registry's filters and lookup) cost more than the span itself on the orders
 * service's hot path. The map is bounded; beyond it a timer is registered per span as before (the registry keeps one
 * meter per id either way, and the cardinality guard caps the ids).
 */
final class DbClientMetricsSpanProcessor implements SpanProcessor {

	static final String METRIC = "db.client.operation.duration";

	private static final AttributeKey<String> DB_SYSTEM_NAME = AttributeKey.stringKey("db.system.name");

	private static final AttributeKey<String> DB_SYSTEM_OLD = AttributeKey.stringKey("db.system");

	private static final AttributeKey<String> DB_OPERATION = AttributeKey.stringKey("db.operation.name");

	private static final AttributeKey<String> DB_COLLECTION = AttributeKey.stringKey("db.collection.name");

	private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

	/** More distinct (system, operation, collection, error) combinations than any service issues statements for. */
	static final int MAX_CACHED_TIMERS = 1000;

	private final ObjectProvider<MeterRegistry> registry;

	private final Map<TimerKey, Timer> timers = new ConcurrentHashMap<>();

	DbClientMetricsSpanProcessor(ObjectProvider<MeterRegistry> registry) {
		this.registry = registry;
	}

	@Override
	public void onStart(Context parentContext, ReadWriteSpan span) {
	}

	@Override
	public boolean isStartRequired() {
		return false;
	}

	@Override
	public boolean isEndRequired() {
		return true;
	}

	@Override
	public void onEnd(ReadableSpan span) {
		if (span.getKind() != SpanKind.CLIENT) {
			return;
		}
		String system = span.getAttribute(DB_SYSTEM_NAME);
		if (system == null) {
			system = span.getAttribute(DB_SYSTEM_OLD);
			if (system == null) {
				return;
			}
		}
		String errorType = span.getAttribute(ERROR_TYPE);
		TimerKey key = new TimerKey(system, orNone(span.getAttribute(DB_OPERATION)),
				orNone(span.getAttribute(DB_COLLECTION)), (errorType != null) ? errorType : "none");
		Timer timer = this.timers.get(key);
		if (timer == null) {
			MeterRegistry meterRegistry = this.registry.getIfAvailable();
			if (meterRegistry == null) {
				return;
			}
			timer = key.register(meterRegistry);
			if (this.timers.size() < MAX_CACHED_TIMERS) {
				this.timers.put(key, timer);
			}
		}
		timer.record(span.getLatencyNanos(), TimeUnit.NANOSECONDS);
	}

	int cachedTimers() {
		return this.timers.size();
	}

	private static String orNone(String value) {
		return (value != null) ? value : "none";
	}

	/** The tag values of one timer; error.type is "none" on success (the stable DB conventions set it on failures). */
	private record TimerKey(String system, String operation, String collection, String errorType) {

		Timer register(MeterRegistry registry) {
			return Timer.builder(METRIC)
				.description("Duration of database client operations")
				.tags(Tags.of("db.system.name", this.system, "db.operation.name", this.operation, "db.collection.name",
						this.collection, "error.type", this.errorType))
				.register(registry);
		}

	}

}
