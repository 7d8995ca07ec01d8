package dev.vigil.gateway.resilience;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.platform.web.ProblemDetailsExceptionHandler;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.client.ResourceAccessException;

/** Failures of downstream calls that are not gRPC statuses (those are mapped by the platform handler). */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class DownstreamExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(DownstreamExceptionHandler.class);

	private final Downstream downstream;

	DownstreamExceptionHandler(Downstream downstream) {
		this.downstream = downstream;
	}

	@ExceptionHandler(CallNotPermittedException.class)
	ResponseEntity<ProblemDetail> circuitOpen(CallNotPermittedException ex, HttpServletRequest request) {
		ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE,
				"A downstream service is temporarily unavailable; retry later", request);
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, this.downstream.openDuration().toSeconds())))
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem);
	}

	@ExceptionHandler(ResourceAccessException.class)
	ResponseEntity<ProblemDetail> unreachable(ResourceAccessException ex, HttpServletRequest request) {
		log.warn("Downstream HTTP call failed: {}", ex.getClass().getSimpleName());
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem(HttpStatus.SERVICE_UNAVAILABLE,
					"A downstream service is temporarily unavailable; retry later", request));
	}

	@ExceptionHandler(DownstreamServerException.class)
	ResponseEntity<ProblemDetail> serverError(DownstreamServerException ex, HttpServletRequest request) {
		log.warn("Downstream {} answered {}", ex.dependency(), ex.status());
		return ResponseEntity.status(HttpStatus.BAD_GATEWAY)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem(HttpStatus.BAD_GATEWAY, "A downstream service failed", request));
	}

	private static ProblemDetail problem(HttpStatus status, String detail, HttpServletRequest request) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		return ProblemDetailsExceptionHandler.complete(problem, request.getRequestURI());
	}

}
