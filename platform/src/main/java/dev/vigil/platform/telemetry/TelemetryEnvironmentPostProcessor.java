package dev.vigil.platform.telemetry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Telemetry defaults for every service, so that a service needs no telemetry configuration of its own. Added as the
 * <em>last</em> property source: the service's application.yaml, environment variables, system properties and Spring
 * Boot's own mapping of the standard {@code OTEL_*} variables (added first) all win.
 *
 * <table>
 * <tr><th>variable</th><th>default</th><th>effect</th></tr>
 * <tr><td>OTEL_EXPORTER_OTLP_ENDPOINT</td><td>http://127.0.0.1:4318 (4317 with grpc)</td><td>where traces, metrics and
 * logs go (standard; Spring Boot maps it)</td></tr>
 * <tr><td>OTEL_EXPORTER_OTLP_PROTOCOL</td><td>http/protobuf</td><td>{@code grpc} switches traces and logs to gRPC
 * (metrics stay OTLP/HTTP: Micrometer's OTLP registry has no gRPC transport)</td></tr>
 * <tr><td>OTEL_SERVICE_NAME</td><td>spring.application.name</td><td>{@code service.name}</td></tr>
 * <tr><td>OTEL_SDK_DISABLED</td><td>false</td><td>true: no tracing, no OTLP export of anything, no log bridge; the
 * overhead benchmark's baseline. /actuator/prometheus keeps working.</td></tr>
 * <tr><td>VIGIL_ENVIRONMENT</td><td>local</td><td>{@code deployment.environment.name}</td></tr>
 * <tr><td>VIGIL_TRACE_SAMPLING_RATIO</td><td>1.0</td><td>parent-based ratio sampler (OTEL_TRACES_SAMPLER_ARG also
 * works and wins)</td></tr>
 * <tr><td>VIGIL_METRICS_STEP</td><td>15s</td><td>OTLP metrics push interval</td></tr>
 * <tr><td>VIGIL_METRICS_MAX_TAG_VALUES</td><td>100</td><td>cardinality cap per tag per meter</td></tr>
 * </table>
 */
public class TelemetryEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String DEFAULTS_SOURCE = "vigilTelemetryDefaults";

	static final String OVERRIDES_SOURCE = "vigilTelemetryOverrides";

	/** false when OTEL_SDK_DISABLED=true; the platform's own telemetry beans are conditional on it. */
	static final String ENABLED_PROPERTY = "vigil.telemetry.enabled";

	// One id per JVM: two application contexts in one process (tests) are one instance.
	private static final String INSTANCE_ID = UUID.randomUUID().toString();

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.getPropertySources().contains(DEFAULTS_SOURCE)) {
			return;
		}
		optInToStableSemconv();
		boolean grpc = "grpc".equalsIgnoreCase(trim(environment.getProperty("otel.exporter.otlp.protocol")));
		String endpoint = trim(environment.getProperty("otel.exporter.otlp.endpoint"));
		String base = (endpoint != null) ? stripSlash(endpoint)
				: (grpc ? "http://127.0.0.1:4317" : "http://127.0.0.1:4318");

		Map<String, Object> d = new HashMap<>();
		// Export: OTLP traces and logs over HTTP/protobuf (or gRPC), metrics over HTTP/protobuf.
		d.put("management.opentelemetry.tracing.export.otlp.endpoint", grpc ? base : base + "/v1/traces");
		d.put("management.opentelemetry.tracing.export.otlp.transport", grpc ? "grpc" : "http");
		d.put("management.opentelemetry.logging.export.otlp.endpoint", grpc ? base : base + "/v1/logs");
		d.put("management.opentelemetry.logging.export.otlp.transport", grpc ? "grpc" : "http");
		d.put("management.otlp.metrics.export.url", (grpc ? httpBaseFor(base) : base) + "/v1/metrics");
		// Metrics: seconds (semconv units; Prometheus names them *_seconds), pushed every 15 s locally.
		d.put("management.otlp.metrics.export.base-time-unit", "seconds");
		d.put("management.otlp.metrics.export.step", "${VIGIL_METRICS_STEP:15s}");
		d.put("vigil.telemetry.max-tag-values", "${VIGIL_METRICS_MAX_TAG_VALUES:100}");
		// Traces: parent-based ratio sampling (Boot's default sampler), ratio 1.0 locally; tail sampling in the
		// cluster collector decides what to keep.
		d.put("management.tracing.sampling.probability", "${VIGIL_TRACE_SAMPLING_RATIO:1.0}");
		d.put("management.tracing.exemplars.include", "sampled-traces");
		// Propagation: W3C trace context only. Boot also enables W3C baggage by default, which costs on every request
		// (a baggage header parsed and written per hop, a listener copying baggage into the MDC on every scope
		// change) and carries nothing here: no service sets baggage.
		d.put("management.tracing.baggage.enabled", "false");
		// Resource attributes (service.name comes from OTEL_SERVICE_NAME or spring.application.name, in Boot).
		d.put("management.opentelemetry.resource-attributes[deployment.environment.name]",
				"${VIGIL_ENVIRONMENT:local}");
		d.put("management.opentelemetry.resource-attributes[service.version]",
				"${spring.application.version:unknown}");
		d.put("management.opentelemetry.resource-attributes[service.instance.id]", INSTANCE_ID);
		// Prometheus scrape stays available (OpenMetrics with exemplars when asked for it).
		d.put("management.endpoints.web.exposure.include", "health,info,prometheus");
		// Logs: JSON on stdout, trace_id/span_id names as in OTLP/Loki (Micrometer puts traceId/spanId in the MDC).
		d.put("logging.structured.format.console", "logstash");
		d.put("logging.structured.json.rename[traceId]", "trace_id");
		d.put("logging.structured.json.rename[spanId]", "span_id");
		environment.getPropertySources().addLast(new MapPropertySource(DEFAULTS_SOURCE, d));

		if (isTrue(environment.getProperty("otel.sdk.disabled"))) {
			environment.getPropertySources().addFirst(new MapPropertySource(OVERRIDES_SOURCE, disabled(environment)));
		}
	}

	/**
	 * OTEL_SDK_DISABLED=true: everything that exports or traces is off, whatever else is configured. Spring Boot alone
	 * would only swap in a no-op SDK and keep a Micrometer tracer creating no-op spans for every observation; the
	 * overhead benchmark's baseline must not pay for that, so the tracing auto-configurations are excluded too.
	 * Observations (and so metrics and /actuator/prometheus) stay.
	 */
	private static Map<String, Object> disabled(ConfigurableEnvironment environment) {
		Map<String, Object> o = new HashMap<>();
		List<String> excludes = new ArrayList<>();
		String plain = environment.getProperty("spring.autoconfigure.exclude");
		if (plain != null && !plain.isBlank()) {
			excludes.add(plain);
		}
		for (int i = 0; environment.containsProperty("spring.autoconfigure.exclude[" + i + "]"); i++) {
			excludes.add(environment.getProperty("spring.autoconfigure.exclude[" + i + "]"));
		}
		excludes.add("org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration");
		excludes.add("org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration");
		o.put("spring.autoconfigure.exclude", String.join(",", excludes));
		o.put(ENABLED_PROPERTY, "false");
		o.put("management.opentelemetry.enabled", "false");
		o.put("management.tracing.export.enabled", "false");
		o.put("management.otlp.metrics.export.enabled", "false");
		o.put("management.logging.export.otlp.enabled", "false");
		return o;
	}

	/**
	 * The JDBC instrumentation emits the stable database conventions ({@code db.system.name}, {@code db.query.text},
	 * {@code db.operation.name}) only when opted in; the flag is read from a system property once, when the
	 * instrumentation's classes load, which is after this point.
	 */
	private static void optInToStableSemconv() {
		if (System.getProperty("otel.semconv-stability.opt-in") == null
				&& System.getenv("OTEL_SEMCONV_STABILITY_OPT_IN") == null) {
			System.setProperty("otel.semconv-stability.opt-in", "database");
		}
	}

	// OTLP/gRPC listens on 4317 and OTLP/HTTP on 4318 by convention: metrics must use the HTTP port.
	private static String httpBaseFor(String grpcBase) {
		return grpcBase.endsWith(":4317") ? grpcBase.substring(0, grpcBase.length() - 5) + ":4318" : grpcBase;
	}

	private static String stripSlash(String url) {
		return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
	}

	private static String trim(String value) {
		return (value == null || value.isBlank()) ? null : value.trim();
	}

	private static boolean isTrue(String value) {
		return value != null && "true".equals(value.trim().toLowerCase(Locale.ROOT));
	}

}
