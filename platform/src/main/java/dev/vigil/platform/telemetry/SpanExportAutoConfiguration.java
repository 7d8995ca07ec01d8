package dev.vigil.platform.telemetry;

import io.micrometer.tracing.exporter.SpanExportingPredicate;
import io.micrometer.tracing.exporter.SpanFilter;
import io.micrometer.tracing.exporter.SpanReporter;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessorBuilder;
import io.opentelemetry.sdk.trace.export.SpanExporter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingProperties;
import org.springframework.boot.opentelemetry.autoconfigure.ConditionalOnEnabledOpenTelemetry;
import org.springframework.context.annotation.Bean;

/**
 * Ended spans go from the batch processor straight to the exporters (OTLP). Spring Boot's own batch processor sends
 * them through Micrometer's {@code CompositeSpanExporter} first, which copies every span into a mutable Micrometer
 * span and back (its attributes into a HashMap, then sorted into new attributes) so that {@link SpanExportingPredicate},
 * {@link SpanReporter} and {@link SpanFilter} beans can see it. No service has such a bean, and at saturation the copy
 * was a visible share of the export thread's CPU (bench/overhead). Same settings as Boot's processor
 * ({@code management.opentelemetry.tracing.export.*}); where one of those beans exists, this backs off and Boot's
 * processor serves them. Ordered before Boot's tracing auto-configuration, whose processor is conditional on there
 * being none yet; off with OTEL_SDK_DISABLED=true like the rest of the export.
 */
@AutoConfiguration(
		beforeName = "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration")
@ConditionalOnClass(value = { SdkTracerProvider.class, BatchSpanProcessor.class, OpenTelemetryTracingProperties.class },
		name = "io.micrometer.tracing.otel.bridge.OtelTracer")
@ConditionalOnBooleanProperty(name = TelemetryEnvironmentPostProcessor.ENABLED_PROPERTY, matchIfMissing = true)
@EnableConfigurationProperties(OpenTelemetryTracingProperties.class)
public class SpanExportAutoConfiguration {

	@Bean
	@ConditionalOnEnabledOpenTelemetry
	@ConditionalOnMissingBean({ BatchSpanProcessor.class, SpanExportingPredicate.class, SpanReporter.class,
			SpanFilter.class })
	BatchSpanProcessor otelSpanProcessor(ObjectProvider<SpanExporter> exporters,
			OpenTelemetryTracingProperties properties, ObjectProvider<MeterProvider> meterProvider) {
		OpenTelemetryTracingProperties.Export export = properties.getExport();
		BatchSpanProcessorBuilder builder = BatchSpanProcessor
			.builder(SpanExporter.composite(exporters.orderedStream().toList()))
			.setExportUnsampledSpans(export.isIncludeUnsampled())
			.setExporterTimeout(export.getTimeout())
			.setMaxExportBatchSize(export.getMaxBatchSize())
			.setMaxQueueSize(export.getMaxQueueSize())
			.setScheduleDelay(export.getScheduleDelay());
		meterProvider.ifAvailable(builder::setMeterProvider);
		return builder.build();
	}

}
