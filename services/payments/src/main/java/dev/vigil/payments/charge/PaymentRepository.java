package dev.vigil.payments.charge;

import java.util.Optional;

import dev.vigil.payments.provider.ProviderDecision;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class PaymentRepository {

	private final JdbcClient jdbc;

	PaymentRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Inserts a PENDING row for the key. ON CONFLICT DO NOTHING turns the unique-violation race into a row count:
	 * a concurrent transaction inserting the same key waits on the unique index until this one commits, then gets
	 * zero rows instead of an exception.
	 * @return false if the key already has a payment
	 */
	boolean claim(String paymentId, ChargeRequest request) {
		return this.jdbc.sql("""
				INSERT INTO payments (payment_id, idempotency_key, customer_id, amount_cents, currency, status)
				VALUES (:id, :key, :customer, :amount, :currency, 'PENDING')
				ON CONFLICT (idempotency_key) DO NOTHING
				""")
			.param("id", paymentId)
			.param("key", request.idempotencyKey())
			.param("customer", request.customerId())
			.param("amount", request.amountCents())
			.param("currency", request.currency())
			.update() == 1;
	}

	void complete(String paymentId, ProviderDecision decision) {
		this.jdbc.sql("""
				UPDATE payments SET status = :status, decline_reason = :reason, completed_at = now()
				WHERE payment_id = :id
				""")
			.param("status", decision.approved() ? "APPROVED" : "DECLINED")
			.param("reason", decision.declineReason())
			.param("id", paymentId)
			.update();
	}

	Optional<Payment> findByKey(String key) {
		return this.jdbc.sql("""
				SELECT payment_id, idempotency_key, customer_id, amount_cents, currency, status, decline_reason
				FROM payments WHERE idempotency_key = :key
				""").param("key", key).query(Payment.class).optional();
	}

}
