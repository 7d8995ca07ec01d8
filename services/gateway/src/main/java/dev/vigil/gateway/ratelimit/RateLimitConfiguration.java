package dev.vigil.gateway.ratelimit;

import io.micrometer.core.instrument.MeterRegistry;

import dev.vigil.platform.web.ProblemResponseWriter;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

	@Bean
	FilterRegistrationBean<RateLimitFilter> rateLimitFilter(ClientRateLimiter limiter, ProblemResponseWriter problems,
			MeterRegistry meterRegistry) {
		FilterRegistrationBean<RateLimitFilter> registration = new FilterRegistrationBean<>(
				new RateLimitFilter(limiter, problems, meterRegistry));
		// After authentication, which tells us who the client is.
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 30);
		return registration;
	}

}
