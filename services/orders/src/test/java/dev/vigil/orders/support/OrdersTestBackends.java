package dev.vigil.orders.support;


import dev.vigil.platform.testing.TestPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.springframework.context.SmartLifecycle;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What an orders test class runs against: a real PostgreSQL and test-owned gRPC servers for inventory and payments,
 * all on loopback with ephemeral ports. One instance per test class.
 */
public final class OrdersTestBackends implements AutoCloseable {

	public final FakeInventory inventory = new FakeInventory();

	public final FakePayments payments = new FakePayments();

	public final LoopbackGrpcServer inventoryServer = new LoopbackGrpcServer(this.inventory);

	public final LoopbackGrpcServer paymentsServer = new LoopbackGrpcServer(this.payments);

	private final EmbeddedPostgres postgres;

	public OrdersTestBackends() {
		this.postgres = TestPostgres.start();
	}

	public void register(DynamicPropertyRegistry registry) {
		TestPostgres.registerDataSource(registry, this.postgres);
		registry.add("spring.grpc.server.port", () -> 0);
		// The 2 s production deadline is about a healthy network; a loaded CI machine with a cold JVM needs slack.
		registry.add("vigil.orders.downstream-deadline", () -> "10s");
		registry.add("spring.grpc.client.channel.inventory.target", this.inventoryServer::target);
		registry.add("spring.grpc.client.channel.payments.target", this.paymentsServer::target);
	}

	/**
	 * A bean for the test's context: stops the backends in the very last shutdown phase, after the application's
	 * servers, listeners and schedulers have stopped, so that the graceful shutdown still finds its database.
	 */
	public SmartLifecycle closeAfterApplication() {
		return TestPostgres.stopAfterApplication(this::close);
	}

	@Override
	public void close() {
		this.inventoryServer.close();
		this.paymentsServer.close();
		TestPostgres.close(this.postgres);
	}

}
