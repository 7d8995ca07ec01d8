package dev.vigil.gateway.auth;

/** The presented token is not acceptable: bad signature, wrong algorithm, expired, wrong issuer, malformed. */
class InvalidTokenException extends Exception {

	InvalidTokenException(String message) {
		super(message);
	}

}
