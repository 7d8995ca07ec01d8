package dev.vigil.platform.web;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;
import org.springframework.beans.factory.annotation.Value;

/**
 * Gives every servlet service RFC 9457 problem-details errors and a request body size limit. Registered before
 * Boot's own web MVC auto-configuration so that Boot's {@code ProblemDetailsExceptionHandler} (conditional on a
 * missing {@code ResponseEntityExceptionHandler}) and its {@code BasicErrorController} (conditional on a missing
 * {@code ErrorController}) back off.
 */
@AutoConfiguration(beforeName = { "org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration",
		"org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration" })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class ProblemDetailsAutoConfiguration {

	@Bean
	ProblemDetailsExceptionHandler vigilProblemDetailsExceptionHandler() {
		return new ProblemDetailsExceptionHandler();
	}

	@Bean
	ProblemErrorController vigilProblemErrorController() {
		return new ProblemErrorController();
	}

	@Bean
	ProblemResponseWriter vigilProblemResponseWriter(ObjectProvider<JsonMapper> jsonMapper) {
		return new ProblemResponseWriter(jsonMapper.getIfAvailable(JsonMapper::new));
	}

	@Bean
	FilterRegistrationBean<RequestBodyFilter> vigilRequestBodyFilter(
			@Value("${vigil.web.max-request-body-size:1MB}") DataSize limit, ProblemResponseWriter writer) {
		FilterRegistrationBean<RequestBodyFilter> registration = new FilterRegistrationBean<>(
				new RequestBodyFilter(limit.toBytes(), writer));
		// Before everything else: nothing should buffer or parse an oversized body.
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		return registration;
	}

}
