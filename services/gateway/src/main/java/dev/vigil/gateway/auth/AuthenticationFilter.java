package dev.vigil.gateway.auth;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vigil.platform.web.ProblemResponseWriter;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Verifies a presented bearer token on API requests and exposes the {@link Caller}. A request without a token
 * passes (public endpoints); endpoints that need a caller reject it later. A request with a bad token is refused
 * here, on any endpoint: a client that sends a broken credential should learn so (RFC 6750).
 */
class AuthenticationFilter extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger(AuthenticationFilter.class);

	private static final String BEARER = "Bearer ";

	private final AccessTokenVerifier verifier;

	private final ProblemResponseWriter problems;

	AuthenticationFilter(AccessTokenVerifier verifier, ProblemResponseWriter problems) {
		this.verifier = verifier;
		this.problems = problems;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getRequestURI().startsWith("/api/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (authorization == null) {
			chain.doFilter(request, response);
			return;
		}
		if (authorization.length() <= BEARER.length()
				|| !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			rejectInvalid(request, response, "Authorization header must be 'Bearer <token>'");
			return;
		}
		try {
			Caller caller = this.verifier.verify(authorization.substring(BEARER.length()).strip());
			request.setAttribute(Caller.ATTRIBUTE, caller);
		}
		catch (InvalidTokenException ex) {
			// The reason is for operators; the client gets one message so it cannot probe the verifier.
			log.debug("Rejected access token: {}", ex.getMessage());
			rejectInvalid(request, response, "The access token is invalid or expired");
			return;
		}
		catch (SigningKeysUnavailableException ex) {
			log.warn("Cannot verify access tokens: signing keys unavailable ({})", ex.getCause().getMessage());
			response.setHeader(HttpHeaders.RETRY_AFTER, "5");
			this.problems.write(request, response, HttpStatus.SERVICE_UNAVAILABLE,
					"Authentication is temporarily unavailable; retry later");
			return;
		}
		chain.doFilter(request, response);
	}

	private void rejectInvalid(HttpServletRequest request, HttpServletResponse response, String detail)
			throws IOException {
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
		this.problems.write(request, response, HttpStatus.UNAUTHORIZED, detail);
	}

}
