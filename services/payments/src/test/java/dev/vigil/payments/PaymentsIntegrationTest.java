package dev.vigil.payments;

import java.util.concurrent.TimeUnit;

import dev.vigil.platform.telemetry.testing.InMemorySpans;
import dev.vigil.platform.testing.TestPostgres;
import dev.vigil.proto.payments.v1.PaymentServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcServerPort;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base for tests that run the real service: embedded PostgreSQL (one per JVM, so test classes share one Spring
 * context), the gRPC server on an ephemeral port and a real client channel over loopback. Random declines are off
 * so that only the deterministic triggers decline; latency stays on so concurrent repeats really overlap.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.grpc.server.port=0", "spring.grpc.server.address=127.0.0.1",
				"vigil.payments.decline-rate=0", "vigil.payments.latency-ms=100", "vigil.payments.latency-jitter-ms=20" })
@Import(InMemorySpans.Configuration.class)
public abstract class PaymentsIntegrationTest {

	protected static final EmbeddedPostgres postgres = TestPostgres.startUntilExit();

	@LocalGrpcServerPort
	protected int grpcPort;

	protected ManagedChannel channel;

	protected PaymentServiceGrpc.PaymentServiceBlockingStub payments;

	@DynamicPropertySource
	static void infrastructure(DynamicPropertyRegistry registry) {
		TestPostgres.registerDataSource(registry, postgres);
	}

	@BeforeEach
	void openChannel() {
		this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", this.grpcPort).usePlaintext().build();
		this.payments = PaymentServiceGrpc.newBlockingStub(this.channel).withDeadlineAfter(30, TimeUnit.SECONDS);
	}

	@AfterEach
	void closeChannel() throws InterruptedException {
		this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
	}

}
