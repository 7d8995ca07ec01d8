package dev.vigil.payments.charge;

/**
 * Maps to gRPC {@code INVALID_ARGUMENT}; the message names the offending field.
 */
public class InvalidChargeException extends RuntimeException {

	InvalidChargeException(String message) {
		super(message);
	}

}
