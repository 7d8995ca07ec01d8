package dev.vigil.platform.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The chaos API and the HTTP fault filter in a real servlet container, over loopback. */
@SpringBootTest(classes = ChaosEndpointIntegrationTest.App.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "vigil.chaos.token=test-token", "management.opentelemetry.enabled=false",
				"management.otlp.metrics.export.enabled=false", "management.tracing.export.enabled=false" })
class ChaosEndpointIntegrationTest {

	@EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
	@Import(Hello.class)
	static class App {

	}

	@RestController
	static class Hello {

		@GetMapping("/hello")
		String hello() {
			return "hello";
		}

	}

	@LocalServerPort
	int port;

	@Autowired
	ChaosFaults faults;

	final HttpClient http = HttpClient.newHttpClient();

	@AfterEach
	void clear() {
		faults.clear();
	}

	HttpResponse<String> send(String method, String path, String token, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Content-Type", "application/json")
			.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void anErrorFaultFailsRequestsUntilItsTtlExpires() throws Exception {
		HttpResponse<String> created = send("POST", "/actuator/chaos", "test-token", "{\"type\":\"error\",\"rate\":1.0,\"ttl\":\"2s\"}");
		assertThat(created.statusCode()).isEqualTo(201);
		HttpResponse<String> failed = send("GET", "/hello", null, null);
		assertThat(failed.statusCode()).isEqualTo(503);
		assertThat(failed.body()).contains("chaos experiment: injected error");
		assertThat(send("GET", "/actuator/health", null, null).statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(send("GET", "/hello", null, null).statusCode()).isEqualTo(200));
		assertThat(send("GET", "/actuator/chaos", "test-token", null).body()).contains("\"faults\":[]");
	}

	@Test
	void aLatencyFaultDelaysEveryRequestByAtLeastItsLatency() throws Exception {
		send("POST", "/actuator/chaos", "test-token", "{\"type\":\"latency\",\"latencyMs\":300,\"ttl\":\"30s\"}");
		long began = System.nanoTime();
		assertThat(send("GET", "/hello", null, null).body()).isEqualTo("hello");
		assertThat(Duration.ofNanos(System.nanoTime() - began)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
		assertThat(send("DELETE", "/actuator/chaos", "test-token", null).body()).contains("\"removed\":1");
	}

	@Test
	void badOrUnauthorizedChaosRequestsGetClear4xx() throws Exception {
		assertThat(send("POST", "/actuator/chaos", null, "{\"type\":\"error\",\"rate\":1,\"ttl\":\"5s\"}").statusCode()).isEqualTo(401);
		assertThat(send("POST", "/actuator/chaos", "wrong", "{\"type\":\"error\",\"rate\":1,\"ttl\":\"5s\"}").statusCode()).isEqualTo(401);
		HttpResponse<String> bad = send("POST", "/actuator/chaos", "test-token", "{\"type\":\"error\",\"rate\":3,\"ttl\":\"5s\"}");
		assertThat(bad.statusCode()).isEqualTo(400);
		assertThat(bad.body()).contains("rate must be a number from 0 to 1");
		assertThat(send("POST", "/actuator/chaos", "test-token", "{\"type\":\"latency\",\"latencyMs\":5}").body())
			.contains("ttl is missing");
		assertThat(send("DELETE", "/actuator/chaos/nope", "test-token", null).statusCode()).isEqualTo(404);
		assertThat(send("GET", "/hello", null, null).statusCode()).isEqualTo(200);
	}

}
