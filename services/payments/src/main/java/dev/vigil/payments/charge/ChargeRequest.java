package dev.vigil.payments.charge;

/**
 * A charge as the caller asked for it, before validation.
 */
public record ChargeRequest(String idempotencyKey, String customerId, long amountCents, String currency) {

}
