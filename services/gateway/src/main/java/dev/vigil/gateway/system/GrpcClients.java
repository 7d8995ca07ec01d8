package dev.vigil.gateway.system;

import io.grpc.ManagedChannel;

import dev.vigil.proto.inventory.v1.InventoryServiceGrpc;
import dev.vigil.proto.orders.v1.OrderServiceGrpc;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.client.GrpcChannelFactory;

/**
 * Stubs for the downstream gRPC services. Channels come from Spring gRPC's factory so that its observation
 * (tracing, metrics) interceptors apply; targets are the {@code spring.grpc.client.channel.*} entries.
 */
@Configuration(proxyBeanMethods = false)
class GrpcClients {

	@Bean
	InventoryServiceGrpc.InventoryServiceBlockingStub inventoryStub(GrpcChannelFactory channels) {
		return InventoryServiceGrpc.newBlockingStub(connected(channels.createChannel("inventory")));
	}

	@Bean
	OrderServiceGrpc.OrderServiceBlockingStub orderStub(GrpcChannelFactory channels) {
		return OrderServiceGrpc.newBlockingStub(connected(channels.createChannel("orders")));
	}

	/**
	 * Starts connecting now (non-blocking) so that the first request does not spend its deadline on connection
	 * setup. A dependency that is down at startup is fine: the channel keeps reconnecting with backoff.
	 */
	private static ManagedChannel connected(ManagedChannel channel) {
		channel.getState(true);
		return channel;
	}

}
