package dev.vigil.orders.system;

import dev.vigil.proto.inventory.v1.InventoryServiceGrpc;
import dev.vigil.proto.inventory.v1.InventoryServiceGrpc.InventoryServiceBlockingStub;
import dev.vigil.proto.payments.v1.PaymentServiceGrpc;
import dev.vigil.proto.payments.v1.PaymentServiceGrpc.PaymentServiceBlockingStub;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.client.GrpcChannelFactory;

/**
 * Stubs for the services orders calls. Targets are the named channels {@code inventory} and {@code payments} in
 * application.yaml ({@code VIGIL_INVENTORY_GRPC}, {@code VIGIL_PAYMENTS_GRPC}); deadlines are set per call.
 */
@Configuration(proxyBeanMethods = false)
class GrpcClients {

	@Bean
	InventoryServiceBlockingStub inventoryStub(GrpcChannelFactory channels) {
		return InventoryServiceGrpc.newBlockingStub(channels.createChannel("inventory"));
	}

	@Bean
	PaymentServiceBlockingStub paymentStub(GrpcChannelFactory channels) {
		return PaymentServiceGrpc.newBlockingStub(channels.createChannel("payments"));
	}

}
