package dev.vigil.users;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.vigil.platform.telemetry.testing.InMemorySpans;
import dev.vigil.platform.testing.TestPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base for tests that run the users service over loopback against a real (embedded) PostgreSQL. Subclasses share
 * one application context and one database server.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "logging.level.org.springframework.web=DEBUG", "logging.level.dev.vigil=DEBUG",
				"logging.level.org.springframework.jdbc=DEBUG" })
@Import(InMemorySpans.Configuration.class)
public abstract class UsersIntegrationTest {

	private static final EmbeddedPostgres POSTGRES = TestPostgres.startUntilExit();

	protected static final JsonMapper JSON = new JsonMapper();

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	@LocalServerPort
	protected int port;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("VIGIL_POSTGRES_URL", () -> POSTGRES.getJdbcUrl("postgres", "postgres"));
	}

	protected HttpResponse<String> post(String path, String json) throws Exception {
		return send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build());
	}

	protected HttpResponse<String> get(String path) throws Exception {
		return send(HttpRequest.newBuilder(uri(path)).GET().build());
	}

	protected HttpResponse<String> send(HttpRequest request) throws Exception {
		return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
	}

	protected URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	protected static JsonNode json(HttpResponse<String> response) {
		return JSON.readTree(response.body());
	}

}
