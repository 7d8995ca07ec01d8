package dev.vigil.platform.telemetry;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.grpc.GrpcClientObservationConvention;
import io.micrometer.core.instrument.binder.grpc.GrpcServerObservationConvention;
import io.micrometer.core.instrument.binder.grpc.ObservationGrpcClientInterceptor;
import io.micrometer.core.instrument.binder.grpc.ObservationGrpcServerInterceptor;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.instrumentation.jdbc.datasource.JdbcTelemetry;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.grpc.client.GlobalClientInterceptor;
import org.springframework.grpc.server.GlobalServerInterceptor;
import org.springframework.http.client.observation.ClientRequestObservationConvention;
import org.springframework.http.server.observation.OpenTelemetryServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationConvention;
import org.springframework.kafka.listener.RecordInterceptor;

/**
 * Telemetry for every Vigil service (DESIGN.md, Telemetry). Spring Boot's OpenTelemetry starter does the heavy lifting
 * (SDK, OTLP exporters, Micrometer tracing bridge, W3C propagation, exemplars); this adds what Boot leaves to the
 * application: semantic-convention names for HTTP and gRPC metrics, latency buckets, the cardinality guard, the
 * Logback-to-OTLP bridge, log scrubbing, JDBC client spans and Kafka trace propagation. Defaults come from
 * {@link TelemetryEnvironmentPostProcessor}.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration",
		"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" },
		beforeName = { "org.springframework.boot.webmvc.autoconfigure.WebMvcObservationAutoConfiguration",
				"org.springframework.boot.restclient.autoconfigure.RestClientObservationAutoConfiguration",
				"org.springframework.boot.grpc.server.autoconfigure.GrpcServerObservationAutoConfiguration",
				"org.springframework.boot.grpc.client.autoconfigure.GrpcClientObservationAutoConfiguration",
				"org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration" })
public class TelemetryAutoConfiguration {

	/** Masks secrets in every log line, telemetry on or off. */
	@Bean
	static InitializingBean vigilLogScrubbing() {
		return ScrubbingTurboFilter::install;
	}

	@Bean
	LatencyHistogramMeterFilter vigilLatencyHistogramMeterFilter() {
		return new LatencyHistogramMeterFilter();
	}

	@Bean
	CardinalityGuard vigilCardinalityGuard(Environment environment) {
		return new CardinalityGuard(environment.getProperty("vigil.telemetry.max-tag-values", Integer.class, 100));
	}

	/** {@code http.server.request.duration} with http.request.method, http.route, http.response.status_code. */
	@Bean
	@ConditionalOnWebApplication
	@ConditionalOnMissingBean(ServerRequestObservationConvention.class)
	ServerRequestObservationConvention vigilServerRequestObservationConvention() {
		return new OpenTelemetryServerRequestObservationConvention();
	}

	@Bean
	@ConditionalOnMissingBean(ClientRequestObservationConvention.class)
	ClientRequestObservationConvention vigilClientRequestObservationConvention() {
		return new HttpClientSemconvConvention();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ io.grpc.ServerCall.class, GrpcServerObservationConvention.class })
	static class GrpcConventions {

		@Bean
		@ConditionalOnMissingBean(GrpcServerObservationConvention.class)
		GrpcServerObservationConvention vigilGrpcServerObservationConvention() {
			return new GrpcSemconv.Server();
		}

		@Bean
		@ConditionalOnMissingBean(GrpcClientObservationConvention.class)
		GrpcClientObservationConvention vigilGrpcClientObservationConvention() {
			return new GrpcSemconv.Client();
		}

	}

	/**
	 * Replaces the interceptor of Boot's {@code GrpcServerObservationAutoConfiguration} (same bean type, order and
	 * property) with {@link GrpcObservationInterceptors.Server}.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.grpc.server.GrpcServerFactory",
			"org.springframework.grpc.server.GlobalServerInterceptor",
			"io.micrometer.core.instrument.binder.grpc.ObservationGrpcServerInterceptor" })
	@ConditionalOnBean(ObservationRegistry.class)
	@ConditionalOnBooleanProperty(name = "spring.grpc.server.observation.enabled", matchIfMissing = true)
	static class GrpcServerObservation {

		@Bean
		@Order(0)
		@GlobalServerInterceptor
		@ConditionalOnMissingBean(ObservationGrpcServerInterceptor.class)
		ObservationGrpcServerInterceptor grpcServerObservationInterceptor(ObservationRegistry registry,
				GrpcServerObservationConvention convention) {
			return new GrpcObservationInterceptors.Server(registry, convention);
		}

	}

	/** The same for Boot's {@code GrpcClientObservationAutoConfiguration}: {@link GrpcObservationInterceptors.Client}. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.grpc.client.GrpcChannelFactory",
			"org.springframework.grpc.client.GlobalClientInterceptor",
			"io.micrometer.core.instrument.binder.grpc.ObservationGrpcClientInterceptor" })
	@ConditionalOnBean(ObservationRegistry.class)
	@ConditionalOnBooleanProperty(name = "spring.grpc.client.observation.enabled", matchIfMissing = true)
	static class GrpcClientObservation {

		@Bean
		@GlobalClientInterceptor
		@ConditionalOnMissingBean(ObservationGrpcClientInterceptor.class)
		ObservationGrpcClientInterceptor grpcClientObservationInterceptor(ObservationRegistry registry,
				GrpcClientObservationConvention convention) {
			return new GrpcObservationInterceptors.Client(registry, convention);
		}

	}

	/** Everything below exports or traces: off with OTEL_SDK_DISABLED=true. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = TelemetryEnvironmentPostProcessor.ENABLED_PROPERTY, matchIfMissing = true)
	@ConditionalOnClass(OpenTelemetry.class)
	static class Export {

		@Bean
		@ConditionalOnBean(OpenTelemetry.class)
		OtlpLogBridge vigilOtlpLogBridge(OpenTelemetry openTelemetry) {
			return new OtlpLogBridge(openTelemetry);
		}

		@Bean
		DbClientMetricsSpanProcessor vigilDbClientMetricsSpanProcessor(ObjectProvider<MeterRegistry> registry) {
			return new DbClientMetricsSpanProcessor(registry);
		}

		@Bean
		@ConditionalOnClass({ JdbcTelemetry.class, javax.sql.DataSource.class })
		static JdbcTracingBeanPostProcessor vigilJdbcTracingBeanPostProcessor(
				ObjectProvider<OpenTelemetry> openTelemetry) {
			return new JdbcTracingBeanPostProcessor(openTelemetry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBooleanProperty(name = TelemetryEnvironmentPostProcessor.ENABLED_PROPERTY, matchIfMissing = true)
	@ConditionalOnClass({ RecordInterceptor.class, DefaultKafkaProducerFactoryCustomizer.class, OpenTelemetry.class })
	static class Kafka {

		@Bean
		@ConditionalOnBean(OpenTelemetry.class)
		DefaultKafkaProducerFactoryCustomizer vigilKafkaProducerTracing(OpenTelemetry openTelemetry,
				ObjectProvider<MeterRegistry> registry) {
			return (factory) -> factory.updateConfigs(KafkaTracing
				.addProducerTracing(factory.getConfigurationProperties(), openTelemetry, registry.getIfAvailable()));
		}

		@Bean
		@ConditionalOnBean(OpenTelemetry.class)
		@ConditionalOnMissingBean(RecordInterceptor.class)
		RecordInterceptor<Object, Object> vigilKafkaRecordTracing(OpenTelemetry openTelemetry,
				ObjectProvider<MeterRegistry> registry) {
			return KafkaTracing.recordInterceptor(openTelemetry, registry.getIfAvailable());
		}

	}

}
