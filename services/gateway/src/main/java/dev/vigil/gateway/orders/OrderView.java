package dev.vigil.gateway.orders;

import java.util.List;

import dev.vigil.proto.orders.v1.Order;

record OrderView(String id, String status, List<OrderItem> items, long totalCents, String currency,
		String paymentId, String createdAt) {

	static OrderView of(Order order) {
		List<OrderItem> items = order.getLinesList()
			.stream()
			.map((line) -> new OrderItem(line.getProductId(), line.getQuantity()))
			.toList();
		return new OrderView(order.getId(), order.getStatus().name(), items, order.getTotalCents(),
				order.getCurrency(), order.getPaymentId(), order.getCreatedAt());
	}

}
