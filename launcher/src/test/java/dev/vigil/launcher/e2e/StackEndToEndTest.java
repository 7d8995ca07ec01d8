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

		String orderId = placeOrder(productId, "e2e-" + UUID.randomUUID());
		assertThat(get("/api/orders/" + orderId, token).statusCode()).isEqualTo(200);
		assertThat(get("/api/orders", token).body()).contains(orderId);

		await().atMost(Duration.ofSeconds(60)).until(() -> recorded(List.of(orderId)) == 1);
	}

	@Test
	@Order(2)
	void anOrderIsOneTraceAcrossGatewayOrdersInventoryPaymentsAndPostgres() throws Exception {
		String productId = JSON.readTree(get("/api/products", null).body()).path("products").get(2).path("id").asString();
		placeOrder(productId, "trace-" + UUID.randomUUID());
		String query = "{ resource.service.name = \"vigil-orders\" && name =~ \".*PlaceOrder\" }";
		// Spans are exported in batches every few seconds; wait for a complete trace with a deadline.
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
			JsonNode traces = JSON.readTree(telemetry("/api/search?limit=50&q=" + java.net.URLEncoder.encode(query,
					java.nio.charset.StandardCharsets.UTF_8))).path("traces");
			assertThat(traces.size()).isPositive();
			Set<String> services = new java.util.TreeSet<>();
			boolean postgres = false;
			for (JsonNode batch : JSON.readTree(telemetry("/api/traces/" + traces.get(0).path("traceID").asString())).path("batches")) {
				for (JsonNode attribute : batch.path("resource").path("attributes")) {
					if (attribute.path("key").asString().equals("service.name")) {
						services.add(attribute.path("value").path("stringValue").asString());
					}
				}
				postgres |= batch.toString().contains("\"db.system.name\",\"value\":{\"stringValue\":\"postgresql\"");
			}
			assertThat(services).contains("vigil-gateway", "vigil-orders", "vigil-inventory", "vigil-payments");
			assertThat(postgres).as("a PostgreSQL client span in the trace").isTrue();
		});
	}

	private String telemetry(String path) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.port("telemetry") + path))
			.timeout(Duration.ofSeconds(30))
			.build(), HttpResponse.BodyHandlers.ofString()).body();
	}

	@Test
	@Order(3)
	void noOrderIsLostWhileKafkaIsDown() throws Exception {
		String productId = JSON.readTree(get("/api/products", null).body()).path("products").get(1).path("id").asString();
		stack.backingService("kafka").orElseThrow().stop();
		List<String> orderIds = new ArrayList<>();
		try {
			for (int i = 0; i < 50; i++) {
				orderIds.add(placeOrder(productId, "kafka-down-" + i + "-" + UUID.randomUUID()));
			}
			assertThat(recorded(orderIds)).isZero();
		}
		finally {
			stack.backingService("kafka").orElseThrow().start();
		}
		await().atMost(Duration.ofMinutes(3)).until(() -> recorded(orderIds) == 50);
	}

	@Test
	@Order(4)
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

	/**
	 * Places an order as a well-behaved client does: a 503 (a deadline hit while the JVMs are still cold, say) is
	 * retried with the same Idempotency-Key, which the shop guarantees never makes a second order.
	 */
	private String placeOrder(String productId, String idempotencyKey) {
		String body = "{\"items\":[{\"productId\":\"" + productId + "\",\"quantity\":1}]}";
		String[] orderId = new String[1];
		await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> {
			HttpResponse<String> placed = post("/api/orders", token, idempotencyKey, body);
			if (placed.statusCode() == 503) {
				return false;
			}
			assertThat(placed.statusCode()).as(placed.body()).isIn(200, 201);
			orderId[0] = JSON.readTree(placed.body()).path("id").asString();
			return true;
		});
		return orderId[0];
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
