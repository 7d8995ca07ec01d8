package dev.vigil.orders.placement;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Claims on (customer_id, idempotency_key). Each statement runs in its own short transaction: no connection is held
 * while inventory and payments are called.
 */
@Repository
class IdempotencyKeys {

	private final JdbcClient jdbc;

	IdempotencyKeys(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Tries to become the one request that executes this key. {@code INSERT ... ON CONFLICT DO NOTHING} is atomic,
	 * so of any number of concurrent identical requests exactly one wins.
	 */
	boolean claim(String customerId, String key, String requestHash, UUID orderId) {
		return this.jdbc.sql("""
				insert into idempotency_keys (customer_id, idempotency_key, request_hash, order_id, state, claimed_at)
				values (:customer, :key, :hash, :orderId, 'PENDING', now())
				on conflict do nothing
				""")
			.param("customer", customerId)
			.param("key", key)
			.param("hash", requestHash)
			.param("orderId", orderId)
			.update() == 1;
	}

	/**
	 * Takes over a PENDING claim whose owner has not finished within the lease (it crashed, or its process was
	 * killed). The original order id is kept, so the replayed reservation and charge are the original ones.
	 */
	boolean takeOver(Claim abandoned, Duration lease) {
		return this.jdbc.sql("""
				update idempotency_keys set claimed_at = now()
				where customer_id = :customer and idempotency_key = :key and order_id = :orderId
				  and state = 'PENDING' and claimed_at < now() - make_interval(secs => :lease)
				""")
			.param("customer", abandoned.customerId())
			.param("key", abandoned.key())
			.param("orderId", abandoned.orderId())
			.param("lease", lease.toMillis() / 1000.0)
			.update() == 1;
	}

	Optional<Claim> find(String customerId, String key) {
		return this.jdbc.sql("""
				select customer_id, idempotency_key, request_hash, order_id, state, error_code, error_message
				from idempotency_keys where customer_id = :customer and idempotency_key = :key
				""")
			.param("customer", customerId)
			.param("key", key)
			.query((rs, n) -> new Claim(rs.getString("customer_id"), rs.getString("idempotency_key"),
					rs.getString("request_hash"), rs.getObject("order_id", UUID.class), rs.getString("state"),
					rs.getString("error_code"), rs.getString("error_message")))
			.optional();
	}

	/** Remembers a deterministic failure so that duplicates get the same answer. */
	void fail(String customerId, String key, UUID orderId, PlacementFailure failure) {
		this.jdbc.sql("""
				update idempotency_keys set state = 'FAILED', error_code = :code, error_message = :message
				where customer_id = :customer and idempotency_key = :key and order_id = :orderId
				""")
			.param("customer", customerId)
			.param("key", key)
			.param("orderId", orderId)
			.param("code", failure.code().name())
			.param("message", failure.getMessage())
			.update();
	}

	/** Drops a claim after a transient failure, so that a retry with the same key starts afresh. */
	void release(String customerId, String key, UUID orderId) {
		this.jdbc.sql("""
				delete from idempotency_keys
				where customer_id = :customer and idempotency_key = :key and order_id = :orderId and state = 'PENDING'
				""").param("customer", customerId).param("key", key).param("orderId", orderId).update();
	}

	/** Called inside the transaction that persists the order. */
	void complete(String customerId, String key, UUID orderId) {
		this.jdbc.sql("""
				update idempotency_keys set state = 'COMPLETED'
				where customer_id = :customer and idempotency_key = :key and order_id = :orderId
				""").param("customer", customerId).param("key", key).param("orderId", orderId).update();
	}

	record Claim(String customerId, String key, String requestHash, UUID orderId, String state, String errorCode,
			String errorMessage) {

		boolean isPending() {
			return "PENDING".equals(this.state);
		}

		boolean isCompleted() {
			return "COMPLETED".equals(this.state);
		}

	}

}
