package dev.vigil.payments.charge;

/**
 * The idempotency key was already used for a charge with a different amount, currency or customer. Returning the
 * first payment would confirm a charge the caller did not ask for, so this maps to gRPC {@code ALREADY_EXISTS}.
 */
public class IdempotencyKeyReusedException extends RuntimeException {

	IdempotencyKeyReusedException(String key) {
		super("idempotency_key " + key
				+ " was already used for a different charge (amount, currency or customer differ); use a new key");
	}

}
