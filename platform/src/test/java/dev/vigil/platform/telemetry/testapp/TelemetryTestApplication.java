package dev.vigil.platform.telemetry.testapp;


import javax.sql.DataSource;

import dev.vigil.platform.testing.TestPostgres;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A minimal service: one controller that logs (secrets included, on purpose) and queries PostgreSQL, and one gRPC
 * service.
 */
@SpringBootApplication
public class TelemetryTestApplication {

	static final EmbeddedPostgres POSTGRES = TestPostgres.startUntilExit();

	/** Boot's tracer provider exports to every SpanExporter bean: the OTLP one and this. */
	@Bean
	InMemorySpanExporter inMemorySpanExporter() {
		return InMemorySpanExporter.create();
	}

	@Bean
	EchoGrpc echoGrpc() {
		return new EchoGrpc();
	}

	@Bean
	DataSource dataSource() {
		return POSTGRES.getPostgresDatabase();
	}

	@RestController
	static class ItemsController {

		private static final Logger log = LoggerFactory.getLogger(ItemsController.class);

		private final JdbcTemplate jdbc;

		ItemsController(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@GetMapping("/api/items/{id}")
		String item(@PathVariable String id) {
			log.info("looking up item {} for alice@example.com with password=hunter2 and token "
					+ "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ card 4111 1111 1111 1111", id);
			Integer tables = this.jdbc.queryForObject(
					"SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = 'pg_catalog' AND tablename <> 'x'",
					Integer.class);
			return "item " + id + " " + tables;
		}

	}

}
