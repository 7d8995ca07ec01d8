package dev.vigil.users.registration;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** Every password-hashing slot stayed busy for the whole wait: the service is overloaded, the request is fine. */
class PasswordHashingBusyException extends ErrorResponseException {

	/** A bcrypt check takes well under a second, so a slot is usually free again within one. */
	static final String RETRY_AFTER_SECONDS = "1";

	PasswordHashingBusyException() {
		super(HttpStatus.SERVICE_UNAVAILABLE, ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"Too many sign-ups and sign-ins are being checked at once; retry in a second"), null);
	}

	@Override
	public HttpHeaders getHeaders() {
		HttpHeaders headers = new HttpHeaders();
		headers.set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
		return headers;
	}

}
