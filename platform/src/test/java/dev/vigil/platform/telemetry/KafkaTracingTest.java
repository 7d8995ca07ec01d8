package dev.vigil.platform.telemetry;

import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import org.springframework.kafka.listener.RecordInterceptor;

import static org.assertj.core.api.Assertions.assertThat;

@SuppressWarnings("unchecked")
class KafkaTracingTest {

	private final InMemorySpanExporter exporter = InMemorySpanExporter.create();

	private final OpenTelemetry otel = OpenTelemetrySdk.builder()
		.setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(this.exporter)).build())
		.setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
		.build();

	@Test
	void consumerStartsNewTraceLinkedToProducerSpan() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		KafkaProducerTracingInterceptor<String, String> producer = new KafkaProducerTracingInterceptor<>();
		producer.configure(KafkaTracing.addProducerTracing(Map.of(), this.otel, registry));

		ProducerRecord<String, String> sent = new ProducerRecord<>("orders.v1", "k", "v");
		Span request = this.otel.getTracer("test").spanBuilder("POST /api/orders").startSpan();
		try (Scope ignored = request.makeCurrent()) {
			producer.onSend(sent);
		}
		request.end();
		assertThat(sent.headers().headers("traceparent")).hasSize(1);

		ConsumerRecord<String, String> received = new ConsumerRecord<>("orders.v1", 0, 17L, "k", "v");
		sent.headers().forEach((h) -> received.headers().add(h));
		RecordInterceptor<String, String> consumer = KafkaTracing.recordInterceptor(this.otel, registry);
		consumer.intercept(received, null);
		String listenerTraceId = Span.current().getSpanContext().getTraceId();
		consumer.success(received, null);
		consumer.afterRecord(received, null);

		SpanData send = span(SpanKind.PRODUCER);
		SpanData process = span(SpanKind.CONSUMER);
		assertThat(send.getName()).isEqualTo("send orders.v1");
		assertThat(send.getTraceId()).isEqualTo(request.getSpanContext().getTraceId());
		assertThat(send.getAttributes().get(AttributeKey.stringKey("messaging.operation.type"))).isEqualTo("send");
		assertThat(process.getName()).isEqualTo("process orders.v1");
		assertThat(process.getTraceId()).isNotEqualTo(send.getTraceId()).isEqualTo(listenerTraceId);
		assertThat(process.getParentSpanContext().isValid()).isFalse();
		assertThat(process.getLinks()).singleElement()
			.satisfies((link) -> assertThat(link.getSpanContext().getSpanId()).isEqualTo(send.getSpanId()));
		assertThat(process.getAttributes().get(AttributeKey.stringKey("messaging.system"))).isEqualTo("kafka");
		assertThat(process.getAttributes().get(AttributeKey.stringKey("messaging.destination.name")))
			.isEqualTo("orders.v1");
		assertThat(process.getAttributes().get(AttributeKey.stringKey("messaging.operation.type"))).isEqualTo("process");
		assertThat(registry.get("messaging.process.duration").timer().count()).isEqualTo(1);
		assertThat(Span.current().getSpanContext().isValid()).isFalse();
	}

	@Test
	void outboxRelayJoinsTheRequestTraceThroughStoredTraceparent() {
		KafkaProducerTracingInterceptor<String, String> producer = new KafkaProducerTracingInterceptor<>();
		producer.configure(KafkaTracing.addProducerTracing(Map.of(), this.otel, null));
		Span request = this.otel.getTracer("test").spanBuilder("POST /api/orders").startSpan();
		String stored;
		try (Scope ignored = request.makeCurrent()) {
			stored = KafkaTracing.currentTraceparent(); // saved with the outbox row
		}
		request.end();
		assertThat(stored).startsWith("00-" + request.getSpanContext().getTraceId());

		// Later, on the relay thread, outside any request.
		ProducerRecord<String, String> record = new ProducerRecord<>("orders.v1", "k", "v");
		record.headers().add(KafkaTracing.TRACEPARENT, stored.getBytes(java.nio.charset.StandardCharsets.UTF_8));
		producer.onSend(record);

		SpanData send = span(SpanKind.PRODUCER);
		assertThat(send.getTraceId()).isEqualTo(request.getSpanContext().getTraceId());
		assertThat(send.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
		assertThat(record.headers().headers(KafkaTracing.TRACEPARENT)).hasSize(1);
		assertThat(new String(record.headers().lastHeader(KafkaTracing.TRACEPARENT).value())).contains(send.getSpanId());
	}

	@Test
	void producerTracingKeepsExistingInterceptors() {
		Map<String, Object> configs = KafkaTracing.addProducerTracing(
				Map.of(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, "com.example.Audit"), this.otel, null);
		assertThat((java.util.List<Object>) configs.get(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG))
			.containsExactly("com.example.Audit", KafkaProducerTracingInterceptor.class);
		Map<String, Object> again = KafkaTracing.addProducerTracing(configs, this.otel, null);
		assertThat((java.util.List<Object>) again.get(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG)).hasSize(2);
	}

	private SpanData span(SpanKind kind) {
		return this.exporter.getFinishedSpanItems().stream().filter((s) -> s.getKind() == kind).findFirst().orElseThrow();
	}

}
