package dev.vigil.orders.query;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.vigil.proto.orders.v1.Order;
import dev.vigil.proto.orders.v1.OrderLine;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads orders back, always scoped to the customer who placed them: an order of another customer is
 * indistinguishable from one that does not exist.
 */
@Repository
@Transactional(readOnly = true)
public class OrderQueries {

	private final JdbcClient jdbc;

	OrderQueries(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public Optional<Order> find(String customerId, UUID orderId) {
		List<Order.Builder> orders = this.jdbc.sql("""
				select id, customer_id, status, total_cents, currency, payment_id, created_at
				from orders where id = :id and customer_id = :customer
				""").param("id", orderId).param("customer", customerId).query((rs, n) -> header(rs)).list();
		return withLines(orders).stream().findFirst();
	}

	public List<Order> list(String customerId, int limit) {
		List<Order.Builder> orders = this.jdbc.sql("""
				select id, customer_id, status, total_cents, currency, payment_id, created_at
				from orders where customer_id = :customer
				order by created_at desc, id
				limit :limit
				""").param("customer", customerId).param("limit", limit).query((rs, n) -> header(rs)).list();
		return withLines(orders);
	}

	private List<Order> withLines(List<Order.Builder> orders) {
		if (orders.isEmpty()) {
			return List.of();
		}
		Map<String, Order.Builder> byId = new LinkedHashMap<>();
		orders.forEach((order) -> byId.put(order.getId(), order));
		List<UUID> ids = byId.keySet().stream().map(UUID::fromString).toList();
		this.jdbc.sql("""
				select order_id, product_id, quantity from order_lines
				where order_id in (:ids) order by order_id, line_no
				""")
			.param("ids", ids)
			.query((rs) -> {
				byId.get(rs.getString("order_id"))
					.addLines(OrderLine.newBuilder()
						.setProductId(rs.getString("product_id"))
						.setQuantity(rs.getInt("quantity")));
			});
		return byId.values().stream().map(Order.Builder::build).toList();
	}

	private static Order.Builder header(ResultSet rs) throws SQLException {
		return Order.newBuilder()
			.setId(rs.getString("id"))
			.setCustomerId(rs.getString("customer_id"))
			.setStatus(Order.Status.valueOf(rs.getString("status")))
			.setTotalCents(rs.getLong("total_cents"))
			.setCurrency(rs.getString("currency"))
			.setPaymentId(rs.getString("payment_id"))
			.setCreatedAt(rs.getObject("created_at", OffsetDateTime.class).toInstant().toString());
	}

}
