package dev.vigil.remediator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The remediator as deployed: real HTTP in, real HTTP out to a stand-in for the launcher's control API. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AlertWebhookIntegrationTest {

	static final List<String> launcherCalls = new CopyOnWriteArrayList<>();

	static final HttpServer launcher = startLauncher();

	static Path dir;

	@LocalServerPort
	int port;

	final HttpClient http = HttpClient.newHttpClient();

	static HttpServer startLauncher() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			server.createContext("/", exchange -> {
				launcherCalls.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
						+ exchange.getRequestHeaders().getFirst("Authorization"));
				exchange.sendResponseHeaders(200, 2);
				exchange.getResponseBody().write("{}".getBytes(StandardCharsets.UTF_8));
				exchange.close();
			});
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) throws IOException {
		dir = Files.createTempDirectory("remediator");
		Files.writeString(dir.resolve("launcher.json"), "{\"pid\":1,\"controlPort\":1,\"token\":\"launcher-token\"}");
		registry.add("vigil.remediator.token", () -> "hook-token");
		registry.add("vigil.remediator.control-url", () -> "http://127.0.0.1:" + launcher.getAddress().getPort());
		registry.add("vigil.remediator.launcher-state", () -> dir.resolve("launcher.json").toString());
		registry.add("vigil.remediator.audit-file", () -> dir.resolve("audit.jsonl").toString());
	}

	@AfterAll
	static void stopLauncher() {
		launcher.stop(0);
	}

	HttpResponse<String> post(String path, String token, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	static String webhook(String fingerprint, String startsAt) {
		return """
				{"version":"4","groupKey":"{}:{alertname=\\"InstanceDown\\"}","status":"firing","receiver":"remediator",
				 "groupLabels":{"alertname":"InstanceDown"},"commonLabels":{"alertname":"InstanceDown"},"commonAnnotations":{},
				 "externalURL":"http://127.0.0.1:9090","alerts":[{"status":"firing",
				 "labels":{"alertname":"InstanceDown","job":"vigil-payments","severity":"page"},
				 "annotations":{"summary":"payments is down"},"startsAt":"%s","endsAt":"0001-01-01T00:00:00Z",
				 "generatorURL":"http://127.0.0.1:9090/graph","fingerprint":"%s"}]}
				""".formatted(startsAt, fingerprint);
	}

	@Test
	void aFiringAlertRestartsTheServiceThroughTheLauncherAndASecondOneInsideTheCooldownIsSkipped() throws Exception {
		HttpResponse<String> first = post("/api/alerts", "hook-token", webhook("f1", "2026-11-23T12:00:00Z"));
		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(first.body()).contains("\"outcome\":\"ACTED\"").contains("restart payments via local");
		assertThat(launcherCalls).contains("POST /api/processes/payments/restart Bearer launcher-token");

		HttpResponse<String> second = post("/api/alerts", "hook-token", webhook("f2", "2026-11-23T12:00:30Z"));
		assertThat(second.body()).contains("\"outcome\":\"SKIPPED\"").contains("cooldown");

		String actions = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/actions")).build(),
				HttpResponse.BodyHandlers.ofString()).body();
		assertThat(actions).contains("cooldown").contains("restart payments");
		assertThat(Files.readAllLines(dir.resolve("audit.jsonl"))).hasSizeGreaterThanOrEqualTo(2);
	}

	@Test
	void webhooksWithoutTheTokenAreRefused() throws Exception {
		assertThat(post("/api/alerts", null, webhook("x", "2026-11-23T12:00:00Z")).statusCode()).isEqualTo(401);
		assertThat(post("/api/alerts", "wrong", webhook("x", "2026-11-23T12:00:00Z")).statusCode()).isEqualTo(401);
	}

	@Test
	void malformedPayloadsGetA400ThatNamesTheProblem() throws Exception {
		HttpResponse<String> notJson = post("/api/alerts", "hook-token", "{nope");
		assertThat(notJson.statusCode()).isEqualTo(400);
		assertThat(notJson.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("problem+json"));
		assertThat(notJson.body()).contains("body is not JSON");

		HttpResponse<String> wrongVersion = post("/api/alerts", "hook-token", "{\"version\":\"3\",\"alerts\":[]}");
		assertThat(wrongVersion.body()).contains("only Alertmanager webhook version");

		HttpResponse<String> noName = post("/api/alerts", "hook-token",
				"{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{},\"startsAt\":\"2026-11-23T12:00:00Z\"}]}");
		assertThat(noName.statusCode()).isEqualTo(400);
		assertThat(noName.body()).contains("alerts[0].labels.alertname is missing");

		HttpResponse<String> badTime = post("/api/alerts", "hook-token",
				"{\"version\":\"4\",\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"A\"},\"startsAt\":\"yesterday\"}]}");
		assertThat(badTime.body()).contains("alerts[0].startsAt is \\\"yesterday\\\"");
	}

}
