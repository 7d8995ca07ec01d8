package dev.vigil.gateway.auth;

/** The users JWKS could not be fetched and no cached key applies: we cannot tell good tokens from bad. */
class SigningKeysUnavailableException extends Exception {

	SigningKeysUnavailableException(Throwable cause) {
		super("Signing keys unavailable", cause);
	}

}
