package dev.vigil.notifications.intake;

/**
 * A record that can never be processed, however often it is retried: it goes straight to the dead-letter topic so
 * that it does not block its partition.
 */
class PoisonMessageException extends RuntimeException {

	PoisonMessageException(String message, Throwable cause) {
		super(message, cause);
	}

}
