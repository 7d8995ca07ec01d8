package dev.vigil.gateway;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import org.junit.jupiter.api.BeforeEach;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.vigil.gateway.resilience.Downstream;
import dev.vigil.platform.telemetry.testing.InMemorySpans;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the gateway over loopback against real gRPC servers (Netty, ephemeral ports) and a JDK HTTP server that
 * stands in for users. The fakes are started once per JVM and shared by every test context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "vigil.gateway.rate-limit.requests-per-second=1000000",
				"vigil.gateway.rate-limit.burst=1000000", "vigil.gateway.resilience.deadline=2s",
				"vigil.gateway.resilience.sliding-window-size=4", "vigil.gateway.resilience.minimum-number-of-calls=4",
				"vigil.gateway.resilience.open-duration=60s", "vigil.gateway.resilience.retry-backoff=10ms",
				"vigil.gateway.auth.jwks-min-refresh-interval=0s" })
@Import(InMemorySpans.Configuration.class)
public abstract class GatewayIntegrationTest {

	protected static final FakeInventory INVENTORY = new FakeInventory();

	protected static final FakeOrders ORDERS = new FakeOrders();

	protected static final FakeUsers USERS;

	private static final Server INVENTORY_SERVER;

	private static final Server ORDERS_SERVER;

	protected static final JsonMapper JSON = new JsonMapper();

	protected static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static final AtomicInteger SUBJECTS = new AtomicInteger();

	static {
		try {
			USERS = new FakeUsers();
			INVENTORY_SERVER = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
				.addService(INVENTORY)
				.build()
				.start();
			ORDERS_SERVER = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
				.addService(ORDERS)
				.build()
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@LocalServerPort
	protected int port;

	@Autowired
	protected Downstream downstream;

	@DynamicPropertySource
	static void dependencies(DynamicPropertyRegistry registry) {
		registry.add("spring.grpc.client.channel.inventory.target", () -> "127.0.0.1:" + INVENTORY_SERVER.getPort());
		registry.add("spring.grpc.client.channel.orders.target", () -> "127.0.0.1:" + ORDERS_SERVER.getPort());
		registry.add("vigil.gateway.users-url", USERS::baseUrl);
	}

	@BeforeEach
	void healthyDependencies() {
		INVENTORY.reset();
		ORDERS.reset();
		USERS.reset();
		this.downstream.reset();
	}

	/** A subject no other test uses, so per-client state (rate limits) never leaks between tests. */
	protected static String newSubject() {
		return "user-" + SUBJECTS.incrementAndGet() + "-" + System.nanoTime();
	}

	protected URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	protected HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
	}

	protected HttpResponse<String> send(HttpRequest request) {
		try {
			return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	protected HttpResponse<String> get(String path, String token) {
		HttpRequest.Builder request = request(path).GET();
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return send(request.build());
	}

	protected HttpResponse<String> placeOrder(String token, String idempotencyKey, String body) {
		HttpRequest.Builder request = request("/api/orders").header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		if (idempotencyKey != null) {
			request.header("Idempotency-Key", idempotencyKey);
		}
		return send(request.build());
	}

	protected static JsonNode json(HttpResponse<String> response) {
		return JSON.readTree(response.body());
	}

	/** Asserts an RFC 9457 problem with the given status; returns it for further checks. */
	protected static JsonNode assertProblem(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = json(response);
		assertThat(problem.get("status").asInt()).isEqualTo(status);
		assertThat(problem.get("type").asString()).isNotBlank();
		assertThat(problem.has("title")).isTrue();
		assertThat(problem.has("detail")).isTrue();
		assertThat(problem.has("instance")).isTrue();
		assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
		return problem;
	}

}
