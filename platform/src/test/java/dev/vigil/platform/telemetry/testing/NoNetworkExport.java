package dev.vigil.platform.telemetry.testing;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * In tests, nothing is exported over the network: without this every test context of every service would send its
 * spans, metrics and logs to the default OTLP endpoint, 127.0.0.1:4318 — a stack running on the same machine (or a
 * benchmark) would ingest test data, and without one each export logs a connection failure. Spans still reach the
 * tracer's processors, so {@link InMemorySpans} sees them; /actuator/prometheus keeps working.
 * <p>
 * Registered in this test jar's {@code META-INF/spring.factories}, so it applies to every test that has the jar on its
 * classpath (the services' and the platform's own). Added as the <em>last</em> property source: a test that asserts on
 * OTLP export turns it back on with {@code @SpringBootTest(properties = "management.tracing.export.otlp.enabled=true",
 * ...)}. Only the OTLP exporters are switched off: {@code management.tracing.export.enabled=false} would also turn
 * off trace propagation (W3C headers over gRPC and Kafka), which the services' tests assert on.
 */
public class NoNetworkExport implements EnvironmentPostProcessor {

	private static final String SOURCE = "vigilTestNoNetworkExport";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.getPropertySources().contains(SOURCE)) {
			return;
		}
		environment.getPropertySources()
			.addLast(new MapPropertySource(SOURCE,
					Map.of("management.tracing.export.otlp.enabled", "false", "management.logging.export.otlp.enabled",
							"false", "management.otlp.metrics.export.enabled", "false")));
	}

}
