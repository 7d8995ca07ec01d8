package dev.vigil.orders.support;

import java.util.concurrent.TimeUnit;

import dev.vigil.proto.orders.v1.OrderLine;
import dev.vigil.proto.orders.v1.OrderServiceGrpc;
import dev.vigil.proto.orders.v1.OrderServiceGrpc.OrderServiceBlockingStub;
import dev.vigil.proto.orders.v1.PlaceOrderRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

/** A real gRPC client of the orders service under test. */
public final class OrdersClient implements AutoCloseable {

	private final ManagedChannel channel;

	public OrdersClient(int port) {
		this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
	}

	public OrderServiceBlockingStub stub() {
		return OrderServiceGrpc.newBlockingStub(this.channel).withDeadlineAfter(30, TimeUnit.SECONDS);
	}

	public static PlaceOrderRequest request(String customerId, String key, OrderLine... lines) {
		return PlaceOrderRequest.newBuilder()
			.setCustomerId(customerId)
			.setIdempotencyKey(key)
			.addAllLines(java.util.List.of(lines))
			.build();
	}

	public static OrderLine line(String productId, int quantity) {
		return OrderLine.newBuilder().setProductId(productId).setQuantity(quantity).build();
	}

	@Override
	public void close() {
		this.channel.shutdownNow();
	}

}
