package dev.vigil.inventory;

/**
 * The caller sent something we cannot act on (a non-positive quantity, a malformed page token). Maps to gRPC
 * {@code INVALID_ARGUMENT}; the message is shown to the caller, so it names the offending field.
 */
public class InvalidRequestException extends RuntimeException {

	public InvalidRequestException(String message) {
		super(message);
	}

}
