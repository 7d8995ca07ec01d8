package dev.vigil.launcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.launcher.Stack;
import dev.vigil.launcher.StackConfig;
import dev.vigil.launcher.supervisor.ManagedProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole stack, started by the same code as `./vigil up` (every service its own JVM, real PostgreSQL, Redis and
 * Kafka), on ephemeral ports, exercised through the gateway as a user would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StackEndToEndTest {

	static final JsonMapper JSON = JsonMapper.builder().build();

	final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	StackConfig config;

	Stack stack;

	String token;

	@BeforeAll
	void startStack() throws Exception {
		Path home = Path.of("..").toAbsolutePath().normalize();
		Path data = Files.createTempDirectory("vigil-e2e");
		config = StackConfig.fromEnvironment(home, Map.of()).withEphemeralPorts(data).withBackgroundLoadRate(0);
		// No random declines from the simulated payment provider: every order in these tests must be accepted.
		stack = new Stack(config, Map.of("VIGIL_PAYMENTS_DECLINE_RATE", "0"), System.out);
		stack.start(Duration.ofMinutes(6));
		String email = "e2e-" + UUID.randomUUID() + "@example.com";
		// Ready is not warm: on two cores the first bcrypt calls of freshly started JVMs can outlast the gateway's
		// 2 s timeout, and the gateway answers 503 (retry later) — so do what a client does, and retry until a deadline.
		await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> List.of(201, 409)
			.contains(post("/api/users", null, null, "{\"email\":\"" + email + "\",\"password\":\"correct horse battery\",\"name\":\"E2E\"}")
				.statusCode()));
		await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> {
			HttpResponse<String> session = post("/api/sessions", null, null,
					"{\"email\":\"" + email + "\",\"password\":\"correct horse battery\"}");
			if (session.statusCode() != 200) {
				assertThat(session.statusCode()).as(session.body()).isEqualTo(503);
				return false;
			}
			token = JSON.readTree(session.body()).path("accessToken").asString();
			return true;
		});
	}

	@AfterAll
	void stopStackAndLeaveNothingBehind() {
		if (stack == null) {
			return;
		}
		Set<ProcessHandle> children = ProcessHandle.current().descendants().collect(Collectors.toSet());
		stack.close();
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(children.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::info).toList())
				.as("processes left after the stack stopped").isEmpty());
	}

	@Test
	@Order(1)
	void registerLoginBrowseOrderAndTheNotificationIsRecorded() throws Exception {
		HttpResponse<String> catalog = get("/api/products", null);
		assertThat(catalog.statusCode()).isEqualTo(200);
		JsonNode products = JSON.readTree(catalog.body()).path("products");
		assertThat(products.size()).isGreaterThanOrEqualTo(10);
		String productId = products.get(0).path("id").asString();
		assertThat(get("/api/products/" + productId, null).statusCode()).isEqualTo(200);

		HttpResponse<String> placed = post("/api/orders", token, "e2e-" + UUID.randomUUID(),
				"{\"items\":[{\"productId\":\"" + productId + "\",\"quantity\":1}]}");
		assertThat(placed.statusCode()).as(placed.body()).isIn(200, 201);
		String orderId = JSON.readTree(placed.body()).path("id").asString();
		assertThat(get("/api/orders/" + orderId, token).statusCode()).isEqualTo(200);
		assertThat(get("/api/orders", token).body()).contains(orderId);

		await().atMost(Duration.ofSeconds(60)).until(() -> recorded(List.of(orderId)) == 1);
	}

	@Test
	@Order(2)
	void noOrderIsLostWhileKafkaIsDown() throws Exception {
		String productId = JSON.readTree(get("/api/products", null).body()).path("products").get(1).path("id").asString();
		stack.backingService("kafka").orElseThrow().stop();
		List<String> orderIds = new ArrayList<>();
		try {
			for (int i = 0; i < 50; i++) {
				HttpResponse<String> placed = post("/api/orders", token, "kafka-down-" + i + "-" + UUID.randomUUID(),
						"{\"items\":[{\"productId\":\"" + productId + "\",\"quantity\":1}]}");
				assertThat(placed.statusCode()).as(placed.body()).isIn(200, 201);
				orderIds.add(JSON.readTree(placed.body()).path("id").asString());
			}
			assertThat(recorded(orderIds)).isZero();
		}
		finally {
			stack.backingService("kafka").orElseThrow().start();
		}
		await().atMost(Duration.ofMinutes(3)).until(() -> recorded(orderIds) == 50);
	}

	@Test
	@Order(3)
	void aKilledServiceIsRestartedByTheSupervisor() {
		ManagedProcess payments = stack.supervisor().process("payments").orElseThrow();
		long before = payments.pid().orElseThrow();
		int restarts = payments.restarts();
		payments.kill();
		await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> {
			assertThat(payments.restarts()).isGreaterThan(restarts);
			assertThat(payments.pid()).isPresent().get().isNotEqualTo(before);
			assertThat(payments.state()).isEqualTo(ManagedProcess.State.READY);
		});
	}

	private long recorded(List<String> orderIds) throws Exception {
		String url = "jdbc:postgresql://127.0.0.1:" + config.port("postgres") + "/postgres";
		try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
				PreparedStatement statement = connection.prepareStatement(
						"select count(*) from notifications.received_orders where order_id = any (?)")) {
			statement.setArray(1, connection.createArrayOf("text", orderIds.toArray()));
			try (ResultSet rows = statement.executeQuery()) {
				rows.next();
				return rows.getLong(1);
			}
		}
	}

	private HttpResponse<String> get(String path, String bearer) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(gateway(path)).timeout(Duration.ofSeconds(30)).GET();
		if (bearer != null) {
			request.header("Authorization", "Bearer " + bearer);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String bearer, String idempotencyKey, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(gateway(path))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (bearer != null) {
			request.header("Authorization", "Bearer " + bearer);
		}
		if (idempotencyKey != null) {
			request.header("Idempotency-Key", idempotencyKey);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI gateway(String path) {
		return URI.create("http://127.0.0.1:" + config.port("gateway") + path);
	}

}
