package dev.vigil.telemetry.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.telemetry.tsdb.Labels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class RulesAndAlertsApiTest {

	private TelemetryServer server;

	private PromApiClient api;

	@BeforeEach
	void start(@TempDir Path dir) throws Exception {
		Path rules = dir.resolve("rules.yml");
		Files.writeString(rules, """
				groups:
				  - name: orders
				    rules:
				      - record: job:up:sum
				        expr: sum by (job) (up)
				      - alert: OrdersDown
				        expr: job:up:sum{job="orders"} == 0
				        for: 1m
				        labels:
				          severity: page
				        annotations:
				          summary: "{{ $labels.job }} has {{ $value }} instances up"
				""");
		// a long interval: the test drives evaluation itself
		server = TelemetryServer.start(ServerConfig.forTests().withRules(List.of(rules), Duration.ofHours(1)));
		api = new PromApiClient(server.httpPort());
	}

	@AfterEach
	void stop() {
		server.close();
	}

	@Test
	void shouldRecordEvaluateAndExposeAlertsInPrometheusShape() {
		long now = System.currentTimeMillis() / 1000 * 1000;
		Labels up = Labels.of("__name__", "up", "job", "orders", "instance", "o-1");
		server.storage().append(up, now - 120_000, 0);
		server.rules().evalAll(now - 120_000);
		server.storage().append(up, now - 60_000, 0);
		server.rules().evalAll(now - 60_000);

		assertThat(api.query("job:up:sum")).extracting(PromApiClient.Result::value).containsExactly(0.0);
		List<PromApiClient.Result> alerts = api.query("ALERTS");
		assertThat(alerts).hasSize(1);
		assertThat(alerts.get(0).metric()).containsEntry("alertstate", "firing")
			.containsEntry("alertname", "OrdersDown")
			.containsEntry("severity", "page")
			.containsEntry("job", "orders");
		assertThat(api.query("ALERTS_FOR_STATE")).extracting(PromApiClient.Result::value)
			.containsExactly((double) ((now - 120_000) / 1000));

		JsonNode rules = api.getJson("/api/v1/rules");
		JsonNode group = rules.path("data").path("groups").get(0);
		assertThat(group.path("name").asString()).isEqualTo("orders");
		assertThat(group.path("interval").asDouble()).isEqualTo(3600.0);
		JsonNode alerting = group.path("rules").get(1);
		assertThat(alerting.path("type").asString()).isEqualTo("alerting");
		assertThat(alerting.path("state").asString()).isEqualTo("firing");
		assertThat(alerting.path("duration").asDouble()).isEqualTo(60.0);
		assertThat(alerting.path("health").asString()).isEqualTo("ok");
		assertThat(alerting.path("alerts").get(0).path("annotations").path("summary").asString())
			.isEqualTo("orders has 0 instances up");
		assertThat(alerting.path("alerts").get(0).path("value").asString()).isEqualTo("0e+00");
		assertThat(api.getJson("/api/v1/rules?type=record").path("data").path("groups").get(0).path("rules").size())
			.isEqualTo(1);

		JsonNode active = api.getJson("/api/v1/alerts").path("data").path("alerts");
		assertThat(active.size()).isEqualTo(1);
		assertThat(active.get(0).path("state").asString()).isEqualTo("firing");
		assertThat(active.get(0).path("activeAt").asString()).endsWith("Z");

		// recovery: the alert resolves and its ALERTS series goes stale at once
		server.storage().append(up, now, 1);
		server.rules().evalAll(now);
		assertThat(api.query("ALERTS")).isEmpty();
		assertThat(api.getJson("/api/v1/alerts").path("data").path("alerts").size()).isZero();
	}


	@Test
	void shouldPostWebhooksForAlertsEvaluatedOnSchedule(@TempDir Path dir) throws Exception {
		java.util.List<String> bodies = new java.util.concurrent.CopyOnWriteArrayList<>();
		com.sun.net.httpserver.HttpServer hook = com.sun.net.httpserver.HttpServer
			.create(new java.net.InetSocketAddress("127.0.0.1", 0), 8);
		hook.createContext("/alerts", ex -> {
			bodies.add(new String(ex.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
			ex.sendResponseHeaders(200, -1);
			ex.close();
		});
		hook.start();
		Path rules = dir.resolve("always.yml");
		Files.writeString(rules, """
				groups:
				  - name: always
				    interval: 1s
				    rules:
				      - alert: Watchdog
				        expr: vector(1)
				""");
		ServerConfig config = ServerConfig.forTests()
			.withRules(List.of(rules), Duration.ofMinutes(1))
			.withAlerting(ServerConfig.Alerting.defaults()
				.withWebhooks(List.of(java.net.URI.create("http://127.0.0.1:" + hook.getAddress().getPort() + "/alerts")))
				.withTimings(Duration.ZERO, Duration.ofMinutes(5), Duration.ofHours(4)));
		try (TelemetryServer s = TelemetryServer.start(config)) {
			org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> !bodies.isEmpty());
			assertThat(bodies.get(0)).contains("\"status\":\"firing\"").contains("\"alertname\":\"Watchdog\"")
				.contains("\"version\":\"4\"");
		}
		finally {
			hook.stop(0);
		}
	}

}
