package dev.vigil.gateway.auth;

import java.util.List;

import dev.vigil.platform.web.ProblemResponseWriter;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class AuthenticationConfiguration implements WebMvcConfigurer {

	/** After the body limit, before rate limiting (which keys authenticated clients by their subject). */
	static final int FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

	@Bean
	FilterRegistrationBean<AuthenticationFilter> authenticationFilter(AccessTokenVerifier verifier,
			ProblemResponseWriter problems) {
		FilterRegistrationBean<AuthenticationFilter> registration = new FilterRegistrationBean<>(
				new AuthenticationFilter(verifier, problems));
		registration.setOrder(FILTER_ORDER);
		return registration;
	}

	@Override
	public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
		resolvers.add(new CallerArgumentResolver());
	}

}
