package dev.vigil.notifications.intake;

import dev.vigil.proto.orders.v1.OrderPlaced;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Records an order and its confirmation in one transaction, once per order id. The listener commits the Kafka offset
 * only after this returns, so a crash in between redelivers the record and the insert below turns it into a no-op.
 */
@Service
class OrderIntake {

	private static final Logger log = LoggerFactory.getLogger(OrderIntake.class);

	private final JdbcClient jdbc;

	OrderIntake(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * @return whether the order was new (false for a duplicate delivery)
	 */
	@Transactional
	boolean record(OrderPlaced order, int partition, long offset) {
		int inserted = this.jdbc.sql("""
				insert into received_orders
				  (order_id, customer_id, total_cents, currency, line_count, order_created_at, kafka_partition, kafka_offset)
				values (:orderId, :customerId, :total, :currency, :lines, :createdAt, :partition, :offset)
				on conflict (order_id) do nothing
				""")
			.param("orderId", order.getOrderId())
			.param("customerId", order.getCustomerId())
			.param("total", order.getTotalCents())
			.param("currency", order.getCurrency())
			.param("lines", order.getLinesCount())
			.param("createdAt", order.getCreatedAt())
			.param("partition", partition)
			.param("offset", offset)
			.update();
		if (inserted == 0) {
			log.info("Order {} already recorded; duplicate delivery ignored", order.getOrderId());
			return false;
		}
		sendConfirmation(order);
		return true;
	}

	/**
	 * The simulated e-mail. Sending inside the transaction is only acceptable because nothing leaves the process; a
	 * real mailer would be called after commit, keyed by order id for its own idempotency.
	 */
	private void sendConfirmation(OrderPlaced order) {
		this.jdbc.sql("insert into sent_notifications (order_id, channel, template) values (:id, 'email', :template)")
			.param("id", order.getOrderId())
			.param("template", "order-confirmation")
			.update();
		log.info("Order confirmation sent for order {} ({} {}, {} line(s))", order.getOrderId(), order.getTotalCents(),
				order.getCurrency(), order.getLinesCount());
	}

}
