package dev.vigil.gateway.auth;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The authenticated client of a request, from a verified access token. Declare it as a controller method
 * parameter to require authentication.
 *
 * @param customerId the token subject (the users service's user id)
 */
public record Caller(String customerId) {

	static final String ATTRIBUTE = Caller.class.getName();

	/** The verified caller of the request, or null when it carries no token. */
	public static Caller of(HttpServletRequest request) {
		return (Caller) request.getAttribute(ATTRIBUTE);
	}

}
