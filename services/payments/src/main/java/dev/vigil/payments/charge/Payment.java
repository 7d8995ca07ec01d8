package dev.vigil.payments.charge;

/**
 * A recorded charge. {@code declineReason} is empty when approved.
 */
public record Payment(String paymentId, String idempotencyKey, String customerId, long amountCents, String currency,
		Status status, String declineReason) {

	public enum Status {

		/** Only ever visible inside the transaction that is talking to the provider; never committed. */
		PENDING,

		APPROVED,

		DECLINED

	}

}
