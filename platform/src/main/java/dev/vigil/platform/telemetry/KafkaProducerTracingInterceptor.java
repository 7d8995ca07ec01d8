package dev.vigil.platform.telemetry;

import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Kafka producer interceptor (installed through {@code interceptor.classes} by {@link KafkaTracing}): for every record
 * it starts a PRODUCER span {@code send <topic>} as a child of the record's {@code traceparent} header if it has one,
 * else of the current context, and writes that span's W3C context
 * into the record headers, so the consumer can link to it (semconv messaging spans: {@code messaging.system=kafka},
 * {@code messaging.destination.name}, {@code messaging.operation.type=send}).
 * <p>
 * Kafka calls {@code onSend} on the caller's thread, inside {@code send()}, so the current context is the caller's.
 * The span ends there too: the acknowledgement arrives on the I/O thread without the record, so the span covers the
 * hand-over to the producer, and {@code messaging.client.sent.messages} (with {@code error.type}) counts the outcome.
 */
public final class KafkaProducerTracingInterceptor<K, V> implements ProducerInterceptor<K, V> {

	private Tracer tracer;

	private OpenTelemetry openTelemetry;

	private MeterRegistry registry;

	/** Kafka instantiates interceptors reflectively and then calls {@link #configure}. */
	public KafkaProducerTracingInterceptor() {
	}

	KafkaProducerTracingInterceptor(OpenTelemetry openTelemetry, MeterRegistry registry) {
		init(openTelemetry, registry);
	}

	@Override
	public void configure(Map<String, ?> configs) {
		Object otel = configs.get(KafkaTracing.OPEN_TELEMETRY_CONFIG);
		Object meters = configs.get(KafkaTracing.METER_REGISTRY_CONFIG);
		init((otel instanceof OpenTelemetry o) ? o : OpenTelemetry.noop(),
				(meters instanceof MeterRegistry m) ? m : null);
	}

	private void init(OpenTelemetry openTelemetry, MeterRegistry registry) {
		this.openTelemetry = openTelemetry;
		this.tracer = openTelemetry.getTracer(KafkaTracing.INSTRUMENTATION_SCOPE);
		this.registry = registry;
	}

	@Override
	public ProducerRecord<K, V> onSend(ProducerRecord<K, V> record) {
		if (this.tracer == null) {
			return record;
		}
		// A traceparent header already on the record wins over the ambient context: the outbox relay runs outside the
		// request that created the message and passes the request's context this way (KafkaTracing#currentTraceparent).
		Context parent = this.openTelemetry.getPropagators()
			.getTextMapPropagator()
			.extract(Context.current(), record.headers(), KafkaHeaders.GETTER);
		Span span = this.tracer.spanBuilder("send " + record.topic())
			.setParent(parent)
			.setSpanKind(SpanKind.PRODUCER)
			.setAttribute("messaging.system", "kafka")
			.setAttribute("messaging.destination.name", record.topic())
			.setAttribute("messaging.operation.type", "send")
			.setAttribute("messaging.operation.name", "send")
			.startSpan();
		try {
			if (record.partition() != null) {
				span.setAttribute("messaging.destination.partition.id", record.partition().toString());
			}
			this.openTelemetry.getPropagators()
				.getTextMapPropagator()
				.inject(parent.with(span), record.headers(), KafkaHeaders.SETTER);
		}
		finally {
			span.end();
		}
		return record;
	}

	@Override
	public void onAcknowledgement(RecordMetadata metadata, Exception exception) {
		if (this.registry == null || metadata == null) {
			return;
		}
		Counter.builder("messaging.client.sent.messages")
			.description("Messages a producer attempted to send to the broker")
			.tags("messaging.system", "kafka", "messaging.destination.name", metadata.topic(), "messaging.operation.name",
					"send", "error.type", (exception != null) ? exception.getClass().getName() : "none")
			.register(this.registry)
			.increment();
	}

	@Override
	public void close() {
	}

}
