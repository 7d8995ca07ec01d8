package dev.vigil.platform.telemetry;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.vigil.platform.telemetry.testapp.TelemetryTestApplication;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test jar's {@code NoNetworkExport}: a test context that says nothing about export sends nothing to the default
 * OTLP endpoint, yet its spans still reach the tracer's in-process processors and exporters.
 */
@SpringBootTest(classes = TelemetryTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=vigil-no-export-test", "spring.grpc.server.port=0",
				"spring.grpc.server.address=127.0.0.1" })
class NoNetworkExportTest {

	@Autowired
	ApplicationContext context;

	@Autowired
	InMemorySpanExporter spans;

	@LocalServerPort
	int port;

	@Test
	void nothingIsExportedOverTheNetworkButSpansAreRecorded() throws Exception {
		this.spans.reset();
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/items/1")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);

		assertThat(this.context.getBeanNamesForType(OtlpHttpSpanExporter.class)).isEmpty();
		assertThat(this.context.getBeanNamesForType(OtlpHttpLogRecordExporter.class)).isEmpty();
		assertThat(this.context.getBeanNamesForType(OtlpMeterRegistry.class)).isEmpty();
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.until(() -> this.spans.getFinishedSpanItems()
				.stream()
				.anyMatch((span) -> span.getName().startsWith("GET /api/items")));
	}

}
