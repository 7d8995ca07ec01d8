package dev.vigil.platform.telemetry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import org.apache.kafka.clients.producer.ProducerConfig;

import org.springframework.kafka.listener.RecordInterceptor;

/**
 * Kafka tracing per the OpenTelemetry messaging conventions: the producer injects W3C trace context into record
 * headers; the consumer processes each record in a new trace linked to the producer span.
 * <p>
 * Services need nothing: {@link TelemetryAutoConfiguration} applies both to Spring Boot's auto-configured producer
 * factory and listener container factory. Only a service that declares its own {@code RecordInterceptor} bean must
 * combine it with {@link #recordInterceptor} (Spring Boot uses a unique interceptor bean only), e.g.
 * {@code new CompositeRecordInterceptor<>(KafkaTracing.recordInterceptor(otel, registry), mine)}; a service that builds
 * its own producer factory calls {@link #addProducerTracing(Map, OpenTelemetry, MeterRegistry)} on its config map.
 * Code that sends outside the originating request (an outbox relay) carries the context with
 * {@link #currentTraceparent()}.
 * Do not also enable Spring Kafka's own observation ({@code spring.kafka.template.observation-enabled},
 * {@code spring.kafka.listener.observation-enabled}): the listener one would make the consumer a child of the
 * producer instead of a linked new trace.
 */
public final class KafkaTracing {

	/** The W3C trace context header name. */
	public static final String TRACEPARENT = "traceparent";

	static final String INSTRUMENTATION_SCOPE = "dev.vigil.platform.kafka";

	static final String OPEN_TELEMETRY_CONFIG = "vigil.telemetry.open-telemetry";

	static final String METER_REGISTRY_CONFIG = "vigil.telemetry.meter-registry";

	private KafkaTracing() {
	}

	/**
	 * The W3C {@code traceparent} of the current span, or {@code null} outside a trace. For the transactional outbox:
	 * store it with the outbox row while handling the request, and have the relay put it on the
	 * {@code ProducerRecord} as the {@value #TRACEPARENT} header; the producer span then joins the request's trace
	 * although the relay runs later, on another thread.
	 */
	public static String currentTraceparent() {
		Map<String, String> carrier = new HashMap<>();
		W3CTraceContextPropagator.getInstance().inject(Context.current(), carrier, Map::put);
		return carrier.get(TRACEPARENT);
	}

	/** A record interceptor for a listener container factory. */
	public static <K, V> RecordInterceptor<K, V> recordInterceptor(OpenTelemetry openTelemetry,
			MeterRegistry registry) {
		return new KafkaRecordTracingInterceptor<>(openTelemetry, registry);
	}

	/**
	 * Returns producer configs with {@link KafkaProducerTracingInterceptor} appended to {@code interceptor.classes}
	 * (keeping any interceptors already there) and the instances it needs.
	 */
	public static Map<String, Object> addProducerTracing(Map<String, ?> configs, OpenTelemetry openTelemetry,
			MeterRegistry registry) {
		Map<String, Object> updated = new HashMap<>(configs);
		List<Object> interceptors = new ArrayList<>();
		Object existing = configs.get(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG);
		if (existing instanceof String names && !names.isBlank()) {
			Arrays.stream(names.split(",")).map(String::trim).filter((n) -> !n.isEmpty()).forEach(interceptors::add);
		}
		else if (existing instanceof List<?> list) {
			interceptors.addAll(list);
		}
		else if (existing instanceof Class<?> type) {
			interceptors.add(type);
		}
		boolean present = interceptors.stream()
			.anyMatch((i) -> i == KafkaProducerTracingInterceptor.class
					|| KafkaProducerTracingInterceptor.class.getName().equals(i));
		if (!present) {
			interceptors.add(KafkaProducerTracingInterceptor.class);
		}
		updated.put(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, interceptors);
		updated.put(OPEN_TELEMETRY_CONFIG, openTelemetry);
		if (registry != null) {
			updated.put(METER_REGISTRY_CONFIG, registry);
		}
		return updated;
	}

}
