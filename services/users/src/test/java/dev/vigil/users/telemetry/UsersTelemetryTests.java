package dev.vigil.users.telemetry;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import dev.vigil.platform.telemetry.testing.InMemorySpans;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;

import dev.vigil.users.UsersIntegrationTest;

import org.springframework.beans.factory.annotation.Autowired;

import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;

/** What one registration leaves in the telemetry (in-memory span exporter): spans, attributes, metrics, no secrets. */
class UsersTelemetryTests extends UsersIntegrationTest {

	@Autowired
	InMemorySpans spans;

	@Autowired
	MeterRegistry meters;

	@Test
	void registrationIsAServerSpanWithItsQueriesAndNeverRecordsTheEmailOrPassword() throws Exception {
		this.spans.reset();
		String email = "telemetry-" + UUID.randomUUID() + "@example.com";
		String password = "s3cret-horse-battery";

		HttpResponse<String> created = post("/internal/users",
				JSON.writeValueAsString(Map.of("email", email, "password", password, "name", "Tele")));

		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		SpanData server = this.spans.await("registration server span",
				(s) -> s.getKind() == SpanKind.SERVER && "/internal/users".equals(s.getAttributes().get(stringKey("http.route"))));
		assertThat(server.getName()).isEqualTo("POST /internal/users");
		assertThat(server.getAttributes().get(stringKey("http.request.method"))).isEqualTo("POST");
		assertThat(server.getAttributes().get(stringKey("http.response.status_code"))).isEqualTo("201");
		assertThat(this.spans.trace(server.getTraceId())).as("the insert, as a PostgreSQL client span")
			.anyMatch(InMemorySpans.attribute("db.system.name", "postgresql")
				.and((s) -> String.valueOf(s.getAttributes().get(stringKey("db.query.text"))).toLowerCase(java.util.Locale.ROOT).startsWith("insert")));
		// Parameters are sanitized out of db.query.text; nothing else may carry them either.
		assertThat(this.spans.allAttributeValues()).doesNotContain(email).doesNotContain(password);
		assertThat(this.meters.find("http.server.request.duration").tag("http.route", "/internal/users").timer())
			.isNotNull();
	}

}
