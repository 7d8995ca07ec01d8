package dev.vigil.platform.telemetry;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import org.springframework.kafka.listener.RecordInterceptor;

/**
 * Spring Kafka record interceptor: each record is processed inside a CONSUMER span {@code process <topic>} that
 * starts a <em>new trace</em> and carries a <em>link</em> to the producer's span context from the record headers. This
 * is what the messaging semantic conventions prescribe for asynchronous hand-offs: a message consumed minutes later,
 * retried or dead-lettered, must not stretch the producer's request trace. Attributes: {@code messaging.system=kafka},
 * {@code messaging.destination.name}, {@code messaging.operation.type=process},
 * {@code messaging.destination.partition.id}, {@code messaging.kafka.offset}, {@code messaging.consumer.group.name}.
 * The span is current while the listener runs, so logs and JDBC spans of the listener join this trace. Also records
 * {@code messaging.process.duration} (unit s).
 * <p>
 * Interceptor callbacks all run on the consumer thread, so the open span lives in a thread local between
 * {@code intercept} and {@code afterRecord}.
 */
final class KafkaRecordTracingInterceptor<K, V> implements RecordInterceptor<K, V> {

	private record Current(Span span, Scope scope, long startNanos, String topic, String group) {
	}

	private final ThreadLocal<Current> current = new ThreadLocal<>();

	private final OpenTelemetry openTelemetry;

	private final Tracer tracer;

	private final MeterRegistry registry;

	KafkaRecordTracingInterceptor(OpenTelemetry openTelemetry, MeterRegistry registry) {
		this.openTelemetry = openTelemetry;
		this.tracer = openTelemetry.getTracer(KafkaTracing.INSTRUMENTATION_SCOPE);
		this.registry = registry;
	}

	@Override
	public ConsumerRecord<K, V> intercept(ConsumerRecord<K, V> record, Consumer<K, V> consumer) {
		closeLeftover();
		SpanContext producer = Span
			.fromContext(this.openTelemetry.getPropagators()
				.getTextMapPropagator()
				.extract(Context.root(), record.headers(), KafkaHeaders.GETTER))
			.getSpanContext();
		String group = groupId(consumer);
		var builder = this.tracer.spanBuilder("process " + record.topic())
			.setNoParent()
			.setSpanKind(SpanKind.CONSUMER)
			.setAttribute("messaging.system", "kafka")
			.setAttribute("messaging.destination.name", record.topic())
			.setAttribute("messaging.operation.type", "process")
			.setAttribute("messaging.operation.name", "process")
			.setAttribute("messaging.destination.partition.id", Integer.toString(record.partition()))
			.setAttribute("messaging.kafka.offset", record.offset());
		if (group != null) {
			builder.setAttribute("messaging.consumer.group.name", group);
		}
		if (producer.isValid()) {
			builder.addLink(producer);
		}
		Span span = builder.startSpan();
		this.current.set(new Current(span, span.makeCurrent(), System.nanoTime(), record.topic(), group));
		return record;
	}

	@Override
	public void failure(ConsumerRecord<K, V> record, Exception exception, Consumer<K, V> consumer) {
		Current c = this.current.get();
		if (c != null) {
			c.span().recordException(exception);
			c.span().setStatus(StatusCode.ERROR);
			c.span().setAttribute("error.type", exception.getClass().getName());
		}
	}

	@Override
	public void afterRecord(ConsumerRecord<K, V> record, Consumer<K, V> consumer) {
		closeLeftover();
	}

	@Override
	public void clearThreadState(Consumer<?, ?> consumer) {
		closeLeftover();
	}

	private void closeLeftover() {
		Current c = this.current.get();
		if (c == null) {
			return;
		}
		this.current.remove();
		c.scope().close();
		c.span().end();
		if (this.registry != null) {
			Timer.builder("messaging.process.duration")
				.description("Duration of processing one message")
				.tags("messaging.system", "kafka", "messaging.destination.name", c.topic(),
						"messaging.consumer.group.name", (c.group() != null) ? c.group() : "none",
						"messaging.operation.name", "process")
				.register(this.registry)
				.record(System.nanoTime() - c.startNanos(), TimeUnit.NANOSECONDS);
		}
	}

	private static String groupId(Consumer<?, ?> consumer) {
		try {
			return (consumer != null && consumer.groupMetadata() != null) ? consumer.groupMetadata().groupId() : null;
		}
		catch (RuntimeException ex) {
			return null; // mocks and consumers without a group
		}
	}

}
