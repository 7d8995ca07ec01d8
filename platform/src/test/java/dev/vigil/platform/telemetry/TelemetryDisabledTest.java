package dev.vigil.platform.telemetry;

import dev.vigil.platform.telemetry.testapp.TelemetryTestApplication;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** OTEL_SDK_DISABLED=true (here as its relaxed property name): no tracing, no OTLP export, no log bridge. */
@SpringBootTest(classes = TelemetryTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "otel.sdk.disabled=true", "spring.application.name=vigil-disabled-test", "spring.grpc.server.port=0",
				"spring.grpc.server.address=127.0.0.1" })
class TelemetryDisabledTest {

	@Autowired
	ApplicationContext context;

	@Autowired
	InMemorySpanExporter spans;

	@LocalServerPort
	int port;

	@Test
	void exportAndTracingAreOff() throws Exception {
		var response = java.net.http.HttpClient.newHttpClient()
			.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + this.port + "/api/items/1"))
				.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(this.context.getBeanProvider(OtlpMeterRegistry.class).getIfAvailable()).isNull();
		assertThat(this.context.getBeanProvider(OtlpLogBridge.class).getIfAvailable()).isNull();
		assertThat(this.context.getBeanProvider(JdbcTracingBeanPostProcessor.class).getIfAvailable()).isNull();
		// Spring Boot falls back to Tracer.NOOP; no tracing handler is attached to observations.
		assertThat(this.context.getBeanProvider(Tracer.class).getIfAvailable()).isIn(null, Tracer.NOOP);
		assertThat(this.context.getBeanNamesForType(io.micrometer.tracing.handler.TracingObservationHandler.class))
			.isEmpty();
		// Metrics are still collected for scrape-based setups.
		String prometheus = java.net.http.HttpClient.newHttpClient()
			.send(java.net.http.HttpRequest.newBuilder(
					java.net.URI.create("http://127.0.0.1:" + this.port + "/actuator/prometheus")).build(),
					java.net.http.HttpResponse.BodyHandlers.ofString())
			.body();
		assertThat(prometheus).contains("http_server_request_duration_seconds_bucket{");
		Thread.sleep(300);
		assertThat(this.spans.getFinishedSpanItems()).isEmpty();
	}

}
