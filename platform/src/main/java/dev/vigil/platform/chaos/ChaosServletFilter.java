package dev.vigil.platform.chaos;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/** Applies LATENCY, ERROR and EXCEPTION faults to inbound HTTP requests (never to /actuator: probes stay honest). */
class ChaosServletFilter extends OncePerRequestFilter {

	private final ChaosFaults faults;

	ChaosServletFilter(ChaosFaults faults) {
		this.faults = faults;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return request.getRequestURI().startsWith("/actuator");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String where = request.getMethod() + " " + request.getRequestURI();
		faults.strike(FaultType.LATENCY, null).ifPresent(fault -> {
			FaultEvents.injected(fault, where);
			ChaosFaults.delay(fault);
		});
		var error = faults.strike(FaultType.ERROR, null);
		if (error.isPresent()) {
			FaultEvents.injected(error.get(), where);
			response.setStatus(503);
			response.setContentType("application/problem+json");
			response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
					+ "\"detail\":\"chaos experiment: injected error\"}");
			return;
		}
		var exception = faults.strike(FaultType.EXCEPTION, null);
		if (exception.isPresent()) {
			FaultEvents.injected(exception.get(), where);
			throw new IllegalStateException("chaos experiment: injected exception (fault " + exception.get().id() + ")");
		}
		chain.doFilter(request, response);
	}

}
