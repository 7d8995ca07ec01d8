package dev.vigil.platform.telemetry;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.listener.RecordInterceptor;

import static org.assertj.core.api.Assertions.assertThat;

/** Services get Kafka tracing from Spring Boot's own Kafka beans, without a line of code. */
@SuppressWarnings("unchecked")
class KafkaTracingAutoConfigurationTest {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, TelemetryAutoConfiguration.class))
		.withBean(OpenTelemetry.class, OpenTelemetry::noop)
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new);

	@Test
	void bootsProducerFactoryAndListenerFactoryAreTraced() {
		this.runner.run((context) -> {
			DefaultKafkaProducerFactory<?, ?> producers = context.getBean(DefaultKafkaProducerFactory.class);
			assertThat((List<Object>) producers.getConfigurationProperties().get(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG))
				.contains(KafkaProducerTracingInterceptor.class);
			ConcurrentKafkaListenerContainerFactory<?, ?> listeners = context
				.getBean(ConcurrentKafkaListenerContainerFactory.class);
			assertThat(listeners.getRecordInterceptor()).isInstanceOf(KafkaRecordTracingInterceptor.class);
		});
	}

	@Test
	void aServicesOwnRecordInterceptorWins() {
		RecordInterceptor<Object, Object> mine = (record, consumer) -> record;
		this.runner.withBean("myInterceptor", RecordInterceptor.class, () -> mine).run((context) -> {
			assertThat(context.getBean(ConcurrentKafkaListenerContainerFactory.class).getRecordInterceptor())
				.isSameAs(mine);
		});
	}

	@Test
	void offWhenTelemetryIsDisabled() {
		this.runner.withPropertyValues("vigil.telemetry.enabled=false").run((context) -> {
			DefaultKafkaProducerFactory<?, ?> producers = context.getBean(DefaultKafkaProducerFactory.class);
			assertThat(producers.getConfigurationProperties()).doesNotContainKey(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG);
			assertThat(context.getBean(ConcurrentKafkaListenerContainerFactory.class).getRecordInterceptor()).isNull();
		});
	}

}
