package dev.vigil.platform.telemetry.testing;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.awaitility.Awaitility;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The spans a service under test ended, for per-service telemetry tests: {@code @Import(InMemorySpans.Configuration.class)}
 * on the {@code @SpringBootTest} (on the shared base class, so every test class keeps one cached context), then
 * inject {@link InMemorySpans}. Shipped in vigil-platform's test jar.
 * <p>
 * It registers a {@link SimpleSpanProcessor} rather than a {@code SpanExporter} bean: Spring Boot adds every
 * {@code SpanProcessor} bean to the tracer provider, and a simple processor hands each span over when it ends, so
 * tests need not shorten the batch exporter's delay; the OTLP exporter is left as the service has it.
 */
public final class InMemorySpans {

	private final InMemorySpanExporter exporter = InMemorySpanExporter.create();

	/** Every span ended since the last {@link #reset()}. */
	public List<SpanData> finished() {
		return this.exporter.getFinishedSpanItems();
	}

	public void reset() {
		this.exporter.reset();
	}

	/** The first ended span that matches, waiting for it (server spans end after the response is written). */
	public SpanData await(String description, Predicate<SpanData> match) {
		return Awaitility.await(description)
			.atMost(Duration.ofSeconds(10))
			.until(() -> finished().stream().filter(match).findFirst().orElse(null), (span) -> span != null);
	}

	/** The ended spans of one trace. */
	public List<SpanData> trace(String traceId) {
		return finished().stream().filter((span) -> span.getTraceId().equals(traceId)).toList();
	}

	/** A predicate on a string attribute, for {@link #await}. */
	public static Predicate<SpanData> attribute(String key, String value) {
		return (span) -> value.equals(span.getAttributes().get(AttributeKey.stringKey(key)));
	}

	/** Every attribute value of every span, as text: for asserting what must never be recorded. */
	public String allAttributeValues() {
		StringBuilder values = new StringBuilder();
		finished().forEach((span) -> span.getAttributes().forEach((key, value) -> values.append(value).append('\n')));
		return values.toString();
	}

	@TestConfiguration(proxyBeanMethods = false)
	public static class Configuration {

		@Bean
		InMemorySpans inMemorySpans() {
			return new InMemorySpans();
		}

		@Bean
		SpanProcessor inMemorySpanProcessor(InMemorySpans spans) {
			return SimpleSpanProcessor.create(spans.exporter);
		}

	}

}
