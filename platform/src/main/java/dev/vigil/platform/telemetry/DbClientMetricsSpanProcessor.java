package dev.vigil.platform.telemetry;

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
 */
final class DbClientMetricsSpanProcessor implements SpanProcessor {

	static final String METRIC = "db.client.operation.duration";

	private static final AttributeKey<String> DB_SYSTEM_NAME = AttributeKey.stringKey("db.system.name");

	private static final AttributeKey<String> DB_SYSTEM_OLD = AttributeKey.stringKey("db.system");

	private static final AttributeKey<String> DB_OPERATION = AttributeKey.stringKey("db.operation.name");

	private static final AttributeKey<String> DB_COLLECTION = AttributeKey.stringKey("db.collection.name");

	private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

	private final ObjectProvider<MeterRegistry> registry;

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
		MeterRegistry meterRegistry = this.registry.getIfAvailable();
		if (meterRegistry == null) {
			return;
		}
		String errorType = span.getAttribute(ERROR_TYPE);
		if (errorType == null) {
			errorType = "none"; // the stable DB conventions set error.type on every failed operation
		}
		Tags tags = Tags.of("db.system.name", system, "db.operation.name", orNone(span.getAttribute(DB_OPERATION)),
				"db.collection.name", orNone(span.getAttribute(DB_COLLECTION)), "error.type", errorType);
		Timer.builder(METRIC)
			.description("Duration of database client operations")
			.tags(tags)
			.register(meterRegistry)
			.record(span.getLatencyNanos(), TimeUnit.NANOSECONDS);
	}

	private static String orNone(String value) {
		return (value != null) ? value : "none";
	}

}
