package dev.vigil.inventory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;

import dev.vigil.platform.telemetry.testing.InMemorySpans;
import dev.vigil.platform.testing.TestPostgres;
import dev.vigil.proto.inventory.v1.InventoryServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import redis.embedded.RedisServer;

import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcServerPort;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base for tests that run the real service: embedded PostgreSQL and Redis (one of each per JVM, so every test class
 * shares one Spring context), the gRPC server on an ephemeral port, and a real client channel over loopback.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.grpc.server.port=0", "spring.grpc.server.address=127.0.0.1",
				"vigil.inventory.cache.retry-after=200ms",
				// Deliveries would add units mid-test; RestockingTests triggers one explicitly instead.
				"vigil.inventory.restock.interval=1h" })
@Import(InMemorySpans.Configuration.class)
public abstract class InventoryIntegrationTest {

	protected static final EmbeddedPostgres postgres = TestPostgres.startUntilExit();

	protected static final int redisPort = freePort();

	protected static final RedisServer redis = startRedis();

	@LocalGrpcServerPort
	protected int grpcPort;

	protected ManagedChannel channel;

	protected InventoryServiceGrpc.InventoryServiceBlockingStub inventory;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		TestPostgres.registerDataSource(registry, postgres);
		registry.add("spring.data.redis.url", () -> "redis://127.0.0.1:" + redisPort);
	}

	@BeforeEach
	void openChannel() {
		this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", this.grpcPort).usePlaintext().build();
		this.inventory = InventoryServiceGrpc.newBlockingStub(this.channel).withDeadlineAfter(30, TimeUnit.SECONDS);
	}

	@AfterEach
	void closeChannel() throws InterruptedException {
		this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
	}

	protected static void ensureRedisRunning() {
		try {
			if (!redis.isActive()) {
				redis.start();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static RedisServer startRedis() {
		try {
			RedisServer server = RedisServer.newRedisServer().bind("127.0.0.1").port(redisPort).build();
			server.start();
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				try {
					server.stop();
				}
				catch (IOException ex) {
					// the JVM is going away; nothing useful to do
				}
			}));
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
