package dev.vigil.launcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.launcher.Stack;
import dev.vigil.launcher.StackConfig;
import dev.vigil.launcher.control.ControlClient;
import dev.vigil.launcher.control.ControlServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole stack, started once per test JVM by the same code as `./vigil up` (every service its own JVM, real
 * PostgreSQL, Redis and Kafka) on ephemeral ports, and shared by every end-to-end test class: starting eight JVMs on
 * two cores takes minutes, so the classes share one stack and each leaves it healthy for the next. JUnit closes it
 * (and checks that no process is left behind) when the test run ends.
 *
 * <p>
 * Use it as a parameter: {@code @ExtendWith(SharedStack.Resolver.class)} and {@code @BeforeAll static void
 * setUp(SharedStack stack)} or a constructor parameter.
 */
final class SharedStack implements AutoCloseable {

	static final JsonMapper JSON = JsonMapper.builder().build();

	/** Extra environment for every process. No random declines: every order placed by a test must be accepted. */
	static final Map<String, String> ENVIRONMENT = Map.of("VIGIL_PAYMENTS_DECLINE_RATE", "0");

	final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	final StackConfig config;

	final Stack stack;

	/**
	 * The launcher's control API, as `./vigil up` runs it: the remediator restarts services through it, and chaos
	 * experiments inject process and infrastructure faults through it. Its state file in the data directory names this
	 * test JVM as the launcher.
	 */
	private final ControlServer control;

	private final Set<ProcessHandle> startedProcesses;

	/** A registered, logged-in shop user's access token. */
	final String token;

	private SharedStack() throws Exception {
		Path home = Path.of("..").toAbsolutePath().normalize();
		Path data = Files.createTempDirectory("vigil-e2e");
		config = StackConfig.fromEnvironment(home, Map.of()).withEphemeralPorts(data).withBackgroundLoadRate(0);
		stack = new Stack(config, ENVIRONMENT, System.out);
		String controlToken = UUID.randomUUID().toString();
		control = new ControlServer(stack, config.port("control"), controlToken, () -> {
			// ./vigil down stops the launcher; in a test the run's end does
		});
		new ControlClient.LauncherState(ProcessHandle.current().pid(), control.port(), controlToken)
			.write(config.dataDir());
		try {
			stack.start(Duration.ofMinutes(6));
			token = registerAndLogIn("e2e-" + UUID.randomUUID() + "@example.com");
		}
		catch (Exception | Error ex) {
			stack.close();
			control.close();
			throw ex;
		}
		startedProcesses = ProcessHandle.current().descendants().collect(Collectors.toSet());
	}

	@Override
	public void close() {
		Set<ProcessHandle> children = ProcessHandle.current().descendants().collect(Collectors.toSet());
		children.addAll(startedProcesses);
		stack.close();
		control.close();
		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(children.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::info).toList())
				.as("processes left after the stack stopped")
				.isEmpty());
	}

	/**
	 * Ready is not warm: on two cores the first bcrypt calls of freshly started JVMs can outlast the gateway's 2 s
	 * timeout, and the gateway answers 503 (retry later) — so do what a client does, and retry until a deadline.
	 */
	String registerAndLogIn(String email) {
		String password = "correct horse battery";
		await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> List.of(201, 409)
			.contains(post("/api/users", null, null,
					"{\"email\":\"" + email + "\",\"password\":\"" + password + "\",\"name\":\"E2E\"}")
				.statusCode()));
		String[] accessToken = new String[1];
		await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> {
			HttpResponse<String> session = post("/api/sessions", null, null,
					"{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
			if (session.statusCode() != 200) {
				assertThat(session.statusCode()).as(session.body()).isEqualTo(503);
				return false;
			}
			accessToken[0] = JSON.readTree(session.body()).path("accessToken").asString();
			return true;
		});
		return accessToken[0];
	}

	/**
	 * The id of the n-th product of the catalog. Ready is not warm: right after a start (or a restart by another
	 * test) the gateway may answer 503 or serve the degraded catalog while inventory is still cold, so wait — with a
	 * deadline — for the full catalog as a client would retry.
	 */
	String productId(int index) {
		String[] id = new String[1];
		await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> {
			HttpResponse<String> catalog = get("/api/products", null);
			if (catalog.statusCode() != 200 || catalog.headers().firstValue("X-Vigil-Degraded").isPresent()) {
				return false;
			}
			JsonNode products = JSON.readTree(catalog.body()).path("products");
			if (products.size() <= index) {
				return false;
			}
			id[0] = products.get(index).path("id").asString();
			return true;
		});
		return id[0];
	}

	/**
	 * Places an order as a well-behaved client does: a 503 (a deadline hit while the JVMs are still cold, say) is
	 * retried with the same Idempotency-Key, which the shop guarantees never makes a second order.
	 * @return the placed order's JSON
	 */
	JsonNode placeOrder(String productId, String idempotencyKey) {
		return placeOrder(productId, idempotencyKey, Map.of());
	}

	/** {@link #placeOrder(String, String)} with extra request headers (a client's W3C {@code traceparent}, say). */
	JsonNode placeOrder(String productId, String idempotencyKey, Map<String, String> headers) {
		String body = "{\"items\":[{\"productId\":\"" + productId + "\",\"quantity\":1}]}";
		JsonNode[] order = new JsonNode[1];
		await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> {
			HttpResponse<String> placed = post("/api/orders", token, idempotencyKey, body, headers);
			if (placed.statusCode() == 503) {
				return false;
			}
			assertThat(placed.statusCode()).as(placed.body()).isIn(200, 201);
			order[0] = JSON.readTree(placed.body());
			return true;
		});
		return order[0];
	}

	/** How many of these orders the notifications service has recorded (read straight from PostgreSQL). */
	long recorded(List<String> orderIds) throws Exception {
		String url = "jdbc:postgresql://127.0.0.1:" + config.port("postgres") + "/postgres";
		try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
				PreparedStatement statement = connection
					.prepareStatement("select count(*) from notifications.received_orders where order_id = any (?)")) {
			statement.setArray(1, connection.createArrayOf("text", orderIds.toArray()));
			try (ResultSet rows = statement.executeQuery()) {
				rows.next();
				return rows.getLong(1);
			}
		}
	}

	HttpResponse<String> get(String path, String bearer) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(url("gateway", path)).timeout(Duration.ofSeconds(30)).GET();
		if (bearer != null) {
			request.header("Authorization", "Bearer " + bearer);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> post(String path, String bearer, String idempotencyKey, String body) throws Exception {
		return post(path, bearer, idempotencyKey, body, Map.of());
	}

	HttpResponse<String> post(String path, String bearer, String idempotencyKey, String body,
			Map<String, String> headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(url("gateway", path))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (bearer != null) {
			request.header("Authorization", "Bearer " + bearer);
		}
		if (idempotencyKey != null) {
			request.header("Idempotency-Key", idempotencyKey);
		}
		headers.forEach(request::header);
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** GET against vigil-telemetry's HTTP API (Prometheus, Tempo and Loki shapes); returns the parsed body. */
	JsonNode telemetry(String path) throws Exception {
		return JSON.readTree(telemetryResponse(path).body());
	}

	/** GET against vigil-telemetry's HTTP API, for when the status matters (a Tempo trace lookup's 200 or 404). */
	HttpResponse<String> telemetryResponse(String path) throws Exception {
		return http.send(HttpRequest.newBuilder(url("telemetry", path)).timeout(Duration.ofSeconds(30)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	/** An instant PromQL query against vigil-telemetry; returns {@code data.result}. */
	JsonNode promql(String query) throws Exception {
		return telemetry("/api/v1/query?query=" + encode(query)).path("data").path("result");
	}

	/** The launcher's control API (what `./vigil status|kill|pause|...` and the chaos runner talk to). */
	ControlClient control() {
		return ControlClient.connect(config.dataDir()).orElseThrow();
	}

	/** The alerts vigil-telemetry's rule engine holds now (Prometheus /api/v1/alerts), pending and firing. */
	List<JsonNode> alerts(String alertname) throws Exception {
		List<JsonNode> matching = new java.util.ArrayList<>();
		for (JsonNode alert : telemetry("/api/v1/alerts").path("data").path("alerts")) {
			if (alertname.equals(alert.path("labels").path("alertname").asString())) {
				matching.add(alert);
			}
		}
		return matching;
	}

	boolean firing(String alertname, String job) throws Exception {
		return alerts(alertname).stream()
			.anyMatch(alert -> alert.path("state").asString().equals("firing")
					&& job.equals(alert.path("labels").path("job").asString()));
	}

	/** The remediator's recent decisions, newest last as in its audit log (GET /api/actions). */
	JsonNode remediatorActions() throws Exception {
		HttpResponse<String> response = http.send(
				HttpRequest.newBuilder(url("remediator", "/api/actions?limit=1000")).timeout(Duration.ofSeconds(30)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JSON.readTree(response.body()).path("actions");
	}

	/** Posts an Alertmanager webhook (version 4) to the remediator as vigil-telemetry's notifier does, with its token. */
	HttpResponse<String> postToRemediator(String payload) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create(stack.remediatorWebhook()))
			.timeout(Duration.ofSeconds(60))
			.header("Content-Type", "application/json")
			.header("Authorization", "Bearer " + stack.remediatorToken())
			.POST(HttpRequest.BodyPublishers.ofString(payload))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * Starts the same gentle background load as `./vigil up` (the shared stack has it off): rate-based alerts and
	 * steady-state checks need traffic. Stop it when done.
	 */
	dev.vigil.launcher.BackgroundLoad backgroundLoad(double rate) {
		return dev.vigil.launcher.BackgroundLoad.start(URI.create("http://127.0.0.1:" + config.port("gateway")), rate,
				System.out);
	}

	static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	URI url(String process, String path) {
		return URI.create("http://127.0.0.1:" + config.port(process) + path);
	}

	/** Starts the stack on first use and hands the same instance to every test class of this run. */
	static final class Resolver implements ParameterResolver {

		@Override
		public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
			return parameter.getParameter().getType() == SharedStack.class;
		}

		@Override
		public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
			// The root store outlives every test class and closes AutoCloseable values when the run ends.
			return context.getRoot()
				.getStore(ExtensionContext.Namespace.create(SharedStack.class))
				.computeIfAbsent(SharedStack.class, key -> {
					try {
						return new SharedStack();
					}
					catch (Exception ex) {
						throw new IllegalStateException("the stack did not start", ex);
					}
				}, SharedStack.class);
		}

	}

}
