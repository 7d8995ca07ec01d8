package dev.vigil.gateway;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import dev.vigil.proto.orders.v1.GetOrderRequest;
import dev.vigil.proto.orders.v1.ListOrdersRequest;
import dev.vigil.proto.orders.v1.ListOrdersResponse;
import dev.vigil.proto.orders.v1.Order;
import dev.vigil.proto.orders.v1.OrderServiceGrpc;
import dev.vigil.proto.orders.v1.PlaceOrderRequest;

/** An orders service whose answers the test controls; records what it was asked. */
public class FakeOrders extends OrderServiceGrpc.OrderServiceImplBase {

	public final List<PlaceOrderRequest> placed = new CopyOnWriteArrayList<>();

	public final AtomicInteger calls = new AtomicInteger();

	private volatile Status failure;

	public void fail(Status status) {
		this.failure = status;
	}

	private volatile boolean silent;

	/** Accept calls and never answer them, like a hung process. */
	public void goSilent() {
		this.silent = true;
	}

	public void reset() {
		this.silent = false;
		this.failure = null;
		this.placed.clear();
		this.calls.set(0);
	}

	@Override
	public void placeOrder(PlaceOrderRequest request, StreamObserver<Order> responses) {
		this.calls.incrementAndGet();
		if (this.failure != null) {
			responses.onError(this.failure.asRuntimeException());
			return;
		}
		this.placed.add(request);
		responses.onNext(Order.newBuilder()
			.setId("ord-" + request.getIdempotencyKey().hashCode())
			.setCustomerId(request.getCustomerId())
			.setStatus(Order.Status.CONFIRMED)
			.addAllLines(request.getLinesList())
			.setTotalCents(4200)
			.setCurrency("EUR")
			.setPaymentId("pay-1")
			.setCreatedAt("2026-11-23T12:00:00Z")
			.build());
		responses.onCompleted();
	}

	@Override
	public void getOrder(GetOrderRequest request, StreamObserver<Order> responses) {
		this.calls.incrementAndGet();
		if (this.silent) {
			return;
		}
		if (this.failure != null) {
			responses.onError(this.failure.asRuntimeException());
			return;
		}
		if (!request.getOrderId().startsWith("ord-")) {
			responses.onError(Status.NOT_FOUND.withDescription("order not found").asRuntimeException());
			return;
		}
		responses.onNext(order(request.getOrderId(), request.getCustomerId()));
		responses.onCompleted();
	}

	@Override
	public void listOrders(ListOrdersRequest request, StreamObserver<ListOrdersResponse> responses) {
		this.calls.incrementAndGet();
		if (this.failure != null) {
			responses.onError(this.failure.asRuntimeException());
			return;
		}
		responses.onNext(ListOrdersResponse.newBuilder()
			.addOrders(order("ord-1", request.getCustomerId()))
			.addOrders(order("ord-2", request.getCustomerId()))
			.build());
		responses.onCompleted();
	}

	private static Order order(String id, String customerId) {
		return Order.newBuilder()
			.setId(id)
			.setCustomerId(customerId)
			.setStatus(Order.Status.CONFIRMED)
			.setTotalCents(1000)
			.setCurrency("EUR")
			.setCreatedAt("2026-11-23T12:00:00Z")
			.build();
	}

}
