package dev.vigil.loadgen.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.vigil.loadgen.LoadConfig;
import dev.vigil.loadgen.LoadReport;
import dev.vigil.loadgen.LoadRun;

/** The shop scenarios against a fake gateway that checks what a real one would: auth, idempotency, product ids. */
class ShopWorkloadTest {

	private HttpServer gateway;

	private final Set<String> users = ConcurrentHashMap.newKeySet();

	private final Set<String> idempotencyKeys = ConcurrentHashMap.newKeySet();

	private final AtomicInteger orderBodiesWithKnownProduct = new AtomicInteger();

	/** How many sign-ups and sign-ins to refuse with 503 before answering them. */
	private final AtomicInteger shedSignIns = new AtomicInteger();

	private volatile boolean shedWithRetryAfter = true;

	private volatile String catalog = "{\"items\":[{\"id\":101,\"name\":\"mug\"},{\"id\":102,\"name\":\"tee\"}]}";

	@BeforeEach
	void start() throws IOException {
		gateway = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
		gateway.setExecutor(Executors.newFixedThreadPool(4));
		gateway.createContext("/", this::handle);
		gateway.start();
	}

	@AfterEach
	void stop() {
		gateway.stop(0);
	}

	private void handle(HttpExchange ex) throws IOException {
		String method = ex.getRequestMethod();
		String path = ex.getRequestURI().getPath();
		String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
		String auth = ex.getRequestHeaders().getFirst("Authorization");
		boolean authed = auth != null && auth.startsWith("Bearer tok-") && users.contains(auth.substring(11));
		if (method.equals("GET") && path.equals("/api/products")) {
			respond(ex, 200, catalog);
		}
		else if (method.equals("GET") && path.startsWith("/api/products/")) {
			String id = path.substring("/api/products/".length());
			respond(ex, id.equals("101") || id.equals("102") ? 200 : 404, "{}");
		}
		else if (method.equals("POST") && (path.equals("/api/users") || path.equals("/api/sessions"))
				&& shedSignIns.getAndDecrement() > 0) {
			// What users does when every password-hashing slot is busy.
			if (shedWithRetryAfter) {
				ex.getResponseHeaders().set("Retry-After", "0");
			}
			respond(ex, 503, "{}");
		}
		else if (method.equals("POST") && path.equals("/api/users")) {
			String email = field(body, "email");
			boolean ok = body.contains("\"password\":\"") && body.contains("\"name\":\"") && email != null;
			respond(ex, !ok ? 400 : users.add(email) ? 201 : 409, "{}");
		}
		else if (method.equals("POST") && path.equals("/api/sessions")) {
			String email = field(body, "email");
			boolean ok = users.contains(email) && body.contains("\"password\":\"" + ShopWorkload.PASSWORD + "\"");
			respond(ex, ok ? 200 : 401, ok ? "{\"accessToken\":\"tok-" + email + "\"}" : "{}");
		}
		else if (method.equals("POST") && path.equals("/api/orders")) {
			String key = ex.getRequestHeaders().getFirst("Idempotency-Key");
			if (!authed) {
				respond(ex, 401, "{}");
			}
			else if (key == null || !idempotencyKeys.add(key)) {
				respond(ex, 409, "{}");
			}
			else {
				if (body.matches("\\{\"items\":\\[\\{\"productId\":10[12],\"quantity\":1}]}")) {
					orderBodiesWithKnownProduct.incrementAndGet();
				}
				respond(ex, 201, "{}");
			}
		}
		else if (method.equals("GET") && path.equals("/api/orders")) {
			respond(ex, authed ? 200 : 401, "[]");
		}
		else {
			respond(ex, 404, "{}");
		}
	}

	private static String field(String json, String name) {
		int i = json.indexOf("\"" + name + "\":\"");
		if (i < 0) {
			return null;
		}
		int start = i + name.length() + 4;
		return json.substring(start, json.indexOf('"', start));
	}

	private static void respond(HttpExchange ex, int status, String body) throws IOException {
		byte[] b = body.getBytes(StandardCharsets.UTF_8);
		ex.sendResponseHeaders(status, b.length);
		try (OutputStream out = ex.getResponseBody()) {
			out.write(b);
		}
	}

	private String target() {
		return "http://127.0.0.1:" + gateway.getAddress().getPort();
	}

	@Test
	void runsTheWholeMixWithoutErrors() {
		LoadReport report = LoadRun.run(LoadConfig.builder()
				.target(target())
				.workload(ShopWorkload.of(Mix.DEFAULT, 5))
				.rate(200)
				.duration(Duration.ofSeconds(2))
				.build());

		assertThat(report.scenarios()).extracting(LoadReport.ScenarioReport::name)
				.containsExactly("browse", "product", "order", "orders", "register", "login");
		assertThat(report.overall().errors()).as(report.toJson()).isZero();
		assertThat(report.scheduled()).isEqualTo(400);
		// The mix is honoured (binomial spread around the weights, 60 % and 5 % of 400 draws; about 4 standard
		// deviations either side).
		assertThat(report.scenario("browse").scheduled()).isCloseTo(240, within(40L));
		long orders = report.scenario("order").completed();
		assertThat(orders).isCloseTo(20, within(18L));
		// Every order: a pooled user's token, a fresh idempotency key, a product id from the catalog.
		assertThat(idempotencyKeys).hasSize((int) orders);
		assertThat(orderBodiesWithKnownProduct.get()).isEqualTo((int) orders);
		assertThat(users).hasSize(5 + (int) report.scenario("register").completed());
	}

	@Test
	void theSetUpWaitsOutLoadSheddingAndSendsAgain() {
		shedSignIns.set(12); // more refusals than the pool has users: some requests are refused twice or more

		LoadReport report = LoadRun.run(LoadConfig.builder()
				.target(target())
				.workload(ShopWorkload.of(Mix.parse("orders=1"), 5))
				.rate(50)
				.duration(Duration.ofSeconds(1))
				.build());

		assertThat(shedSignIns.get()).isNegative(); // every refusal was used up, then answered
		assertThat(users).hasSize(5);
		assertThat(report.overall().errors()).as(report.toJson()).isZero();
		assertThat(report.scenario("orders").completed()).isEqualTo(50);
	}

	@Test
	void aSetUpRefusedWithoutRetryAfterIsAClearError() {
		shedSignIns.set(1);
		shedWithRetryAfter = false;

		assertThatThrownBy(() -> LoadRun.run(LoadConfig.builder()
				.target(target())
				.workload(ShopWorkload.of(Mix.parse("orders=1"), 1))
				.rate(10)
				.duration(Duration.ofSeconds(1))
				.build()))
			.hasMessageContaining("/api/users returned 503");
	}

	@Test
	void retryAfterIsReadAsSecondsAndBounded() {
		assertThat(ShopWorkload.retryAfterSeconds(503, Optional.of("2"))).isEqualTo(2);
		assertThat(ShopWorkload.retryAfterSeconds(503, Optional.of("600"))).isEqualTo(5);
		assertThat(ShopWorkload.retryAfterSeconds(503, Optional.of("Wed, 21 Oct 2026 07:28:00 GMT"))).isEqualTo(1);
		assertThat(ShopWorkload.retryAfterSeconds(503, Optional.empty())).isEqualTo(-1);
		assertThat(ShopWorkload.retryAfterSeconds(500, Optional.of("1"))).isEqualTo(-1);
	}

	@Test
	void theBackgroundLoadRunsUntilStopped() throws Exception {
		LoadRun run = LoadRun.start(LoadConfig.background(java.net.URI.create(target())));
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !idempotencyKeys.isEmpty());
		run.stop();
		LoadReport report = run.await();
		assertThat(report.scenarios()).extracting(LoadReport.ScenarioReport::name)
				.containsExactly("browse", "product", "order", "orders");
		assertThat(report.overall().errors()).isZero();
		assertThat(users).hasSize(10);
	}

	@Test
	void pageShapedCatalogsAndStringIdsAreUnderstood() {
		assertThat(ShopWorkload.productIds("[{\"id\":1},{\"id\":2}]")).hasSize(2);
		assertThat(ShopWorkload.productIds("{\"content\":[{\"productId\":\"sku-1\"}]}"))
				.singleElement().satisfies(n -> assertThat(n.asString()).isEqualTo("sku-1"));
		assertThat(ShopWorkload.productIds("not json")).isEmpty();
		assertThat(ShopWorkload.token("{\"accessToken\":\"abc\"}")).isEqualTo("abc");
	}

	@Test
	void anEmptyCatalogIsAClearSetupError() {
		catalog = "{\"items\":[]}";
		assertThatThrownBy(() -> LoadRun.run(LoadConfig.builder()
				.target(target())
				.workload(ShopWorkload.defaults())
				.rate(10)
				.duration(Duration.ofSeconds(1))
				.build())).isInstanceOf(LoadRun.LoadRunException.class).hasMessageContaining("no products");
	}

	@Test
	void mixParsingRejectsUnknownScenarios() {
		assertThat(Mix.parse("browse=1,login=0").active()).containsExactly("browse");
		assertThatThrownBy(() -> Mix.parse("browse=1,checkout=2")).hasMessageContaining("unknown scenario 'checkout'");
		assertThatThrownBy(() -> Mix.parse("browse=0")).hasMessageContaining("positive weight");
	}
}
