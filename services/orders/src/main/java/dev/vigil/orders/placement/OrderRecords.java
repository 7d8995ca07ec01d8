package dev.vigil.orders.placement;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import dev.vigil.orders.outbox.OutboxEvents;
import dev.vigil.proto.inventory.v1.Reservation;
import dev.vigil.proto.orders.v1.Order;
import dev.vigil.proto.orders.v1.OrderLine;
import dev.vigil.proto.orders.v1.OrderPlaced;
import dev.vigil.proto.orders.v1.PlaceOrderRequest;
import dev.vigil.proto.payments.v1.Payment;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Persists a confirmed order: order, lines, the OrderPlaced outbox event and the completed idempotency claim, all in
 * one transaction.
 */
@Repository
class OrderRecords {

	private final JdbcClient jdbc;

	private final OutboxEvents outbox;

	private final IdempotencyKeys idempotencyKeys;

	OrderRecords(JdbcClient jdbc, OutboxEvents outbox, IdempotencyKeys idempotencyKeys) {
		this.jdbc = jdbc;
		this.outbox = outbox;
		this.idempotencyKeys = idempotencyKeys;
	}

	@Transactional
	Order insert(UUID orderId, PlaceOrderRequest request, Reservation reservation, Payment payment) {
		// PostgreSQL keeps microseconds; truncating here makes the response identical to what a later read returns.
		Instant createdAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		Order order = Order.newBuilder()
			.setId(orderId.toString())
			.setCustomerId(request.getCustomerId())
			.setStatus(Order.Status.CONFIRMED)
			.addAllLines(request.getLinesList())
			.setTotalCents(reservation.getTotalCents())
			.setCurrency(reservation.getCurrency())
			.setPaymentId(payment.getPaymentId())
			.setCreatedAt(createdAt.toString())
			.build();
		this.jdbc.sql("""
				insert into orders (id, customer_id, idempotency_key, status, total_cents, currency, payment_id, created_at)
				values (:id, :customer, :key, :status, :total, :currency, :paymentId, :createdAt)
				""")
			.param("id", orderId)
			.param("customer", order.getCustomerId())
			.param("key", request.getIdempotencyKey())
			.param("status", order.getStatus().name())
			.param("total", order.getTotalCents())
			.param("currency", order.getCurrency())
			.param("paymentId", order.getPaymentId())
			.param("createdAt", createdAt.atOffset(ZoneOffset.UTC))
			.update();
		for (int i = 0; i < order.getLinesCount(); i++) {
			OrderLine line = order.getLines(i);
			this.jdbc.sql("""
					insert into order_lines (order_id, line_no, product_id, quantity)
					values (:orderId, :lineNo, :productId, :quantity)
					""")
				.param("orderId", orderId)
				.param("lineNo", i)
				.param("productId", line.getProductId())
				.param("quantity", line.getQuantity())
				.update();
		}
		this.outbox.append(orderId, OrderPlaced.newBuilder()
			.setOrderId(order.getId())
			.setCustomerId(order.getCustomerId())
			.setTotalCents(order.getTotalCents())
			.setCurrency(order.getCurrency())
			.addAllLines(order.getLinesList())
			.setCreatedAt(order.getCreatedAt())
			.build());
		this.idempotencyKeys.complete(request.getCustomerId(), request.getIdempotencyKey(), orderId);
		return order;
	}

}
