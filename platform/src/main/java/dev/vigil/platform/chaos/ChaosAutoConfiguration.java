package dev.vigil.platform.chaos;

import io.grpc.ClientInterceptor;
import io.grpc.ServerInterceptor;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.grpc.client.GlobalClientInterceptor;
import org.springframework.grpc.server.GlobalServerInterceptor;

/**
 * Chaos faults in every Vigil service (disable with vigil.chaos.enabled=false): the control API, and the interceptors
 * that apply faults to HTTP, gRPC and database calls.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBooleanProperty(name = "vigil.chaos.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ChaosProperties.class)
public class ChaosAutoConfiguration {

	@Bean(destroyMethod = "close")
	ChaosFaults chaosFaults(ObjectProvider<MeterRegistry> meters) {
		return new ChaosFaults(Clock.systemUTC(),
				meters.getIfAvailable(io.micrometer.core.instrument.simple.SimpleMeterRegistry::new));
	}

	@Bean
	ChaosEndpoint chaosEndpoint(ChaosFaults faults, ChaosProperties properties) {
		return new ChaosEndpoint(faults, properties);
	}

	@Bean
	FilterRegistrationBean<ChaosServletFilter> chaosServletFilter(ChaosFaults faults) {
		FilterRegistrationBean<ChaosServletFilter> registration = new FilterRegistrationBean<>(new ChaosServletFilter(faults));
		// After the tracing filter, so the injected delay and error are inside the server span.
		registration.setOrder(Ordered.LOWEST_PRECEDENCE - 10);
		return registration;
	}

	@Bean
	static BeanPostProcessor chaosSlowDataSource(ObjectProvider<ChaosFaults> faults) {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				return (bean instanceof DataSource dataSource && !(bean instanceof SlowDataSource))
						? new SlowDataSource(dataSource, faults.getObject()) : bean;
			}
		};
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ ServerInterceptor.class, GlobalServerInterceptor.class })
	static class GrpcChaos {

		@Bean
		@GlobalServerInterceptor
		ServerInterceptor chaosGrpcServerInterceptor(ChaosFaults faults) {
			return ChaosGrpcInterceptors.server(faults);
		}

		@Bean
		@GlobalClientInterceptor
		ClientInterceptor chaosGrpcClientInterceptor(ChaosFaults faults) {
			return ChaosGrpcInterceptors.client(faults);
		}

	}

}
