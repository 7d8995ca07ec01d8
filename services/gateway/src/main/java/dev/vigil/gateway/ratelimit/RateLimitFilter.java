package dev.vigil.gateway.ratelimit;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.vigil.gateway.auth.Caller;
import dev.vigil.platform.web.ProblemResponseWriter;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Per-client rate limiting. The client is the token subject when the request is authenticated (so a user keeps
 * one budget across addresses) and the remote address otherwise. Health probes are exempt.
 */
class RateLimitFilter extends OncePerRequestFilter {

	private final ClientRateLimiter limiter;

	private final ProblemResponseWriter problems;

	private final Counter rejected;

	RateLimitFilter(ClientRateLimiter limiter, ProblemResponseWriter problems, MeterRegistry meterRegistry) {
		this.limiter = limiter;
		this.problems = problems;
		// Prometheus: vigil_rate_limited_total (docs/architecture.md).
		this.rejected = Counter.builder("vigil.rate.limited")
			.description("Requests refused by the per-client rate limiter")
			.register(meterRegistry);
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return request.getRequestURI().startsWith("/actuator/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Caller caller = Caller.of(request);
		String client = (caller != null) ? "sub:" + caller.customerId() : "ip:" + request.getRemoteAddr();
		long waitNanos = this.limiter.tryAcquire(client);
		if (waitNanos > 0) {
			this.rejected.increment();
			long seconds = Math.max(1, (long) Math.ceil(waitNanos / (double) TimeUnit.SECONDS.toNanos(1)));
			response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
			this.problems.write(request, response, HttpStatus.TOO_MANY_REQUESTS,
					"Rate limit exceeded; retry after " + seconds + " s");
			return;
		}
		chain.doFilter(request, response);
	}

}
