package dev.vigil.gateway.orders;

import java.util.concurrent.TimeUnit;

import dev.vigil.gateway.auth.Caller;
import dev.vigil.gateway.resilience.Downstream;
import dev.vigil.proto.orders.v1.GetOrderRequest;
import dev.vigil.proto.orders.v1.ListOrdersRequest;
import dev.vigil.proto.orders.v1.OrderLine;
import dev.vigil.proto.orders.v1.OrderServiceGrpc.OrderServiceBlockingStub;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

@Service
class Orders {

	private static final Logger log = LoggerFactory.getLogger(Orders.class);

	private final OrderServiceBlockingStub orders;

	private final Downstream downstream;

	Orders(OrderServiceBlockingStub orders, Downstream downstream) {
		this.orders = orders;
		this.downstream = downstream;
	}

	/**
	 * Never retried here: a retry is the client's decision, and it is safe because the orders service answers a
	 * repeated (customer, idempotency key) with the first order.
	 */
	OrderView place(Caller caller, String idempotencyKey, PlaceOrderRequest request) {
		dev.vigil.proto.orders.v1.PlaceOrderRequest.Builder placement = dev.vigil.proto.orders.v1.PlaceOrderRequest
			.newBuilder()
			.setCustomerId(caller.customerId())
			.setIdempotencyKey(idempotencyKey);
		request.items()
			.forEach((item) -> placement
				.addLines(OrderLine.newBuilder().setProductId(item.productId()).setQuantity(item.quantity())));
		OrderView order = OrderView.of(this.downstream.call(Downstream.ORDERS, () -> stub().placeOrder(placement.build())));
		// One line per state change at the edge (reads stay silent): with its trace id, it joins the client's request
		// to the orders service's own lines in the log store.
		log.info("Order {} placed through the gateway ({} line(s))", order.id(), request.items().size());
		return order;
	}

	OrderView get(Caller caller, String orderId) {
		GetOrderRequest request = GetOrderRequest.newBuilder()
			.setCustomerId(caller.customerId())
			.setOrderId(orderId)
			.build();
		return OrderView.of(this.downstream.callIdempotent(Downstream.ORDERS, () -> stub().getOrder(request)));
	}

	OrderList list(Caller caller, int pageSize) {
		ListOrdersRequest request = ListOrdersRequest.newBuilder()
			.setCustomerId(caller.customerId())
			.setPageSize(pageSize)
			.build();
		return new OrderList(this.downstream.callIdempotent(Downstream.ORDERS, () -> stub().listOrders(request))
			.getOrdersList()
			.stream()
			.map(OrderView::of)
			.toList());
	}

	private OrderServiceBlockingStub stub() {
		return this.orders.withDeadlineAfter(this.downstream.deadline().toMillis(), TimeUnit.MILLISECONDS);
	}

}
