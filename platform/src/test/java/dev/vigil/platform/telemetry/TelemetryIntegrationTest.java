package dev.vigil.platform.telemetry;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.vigil.platform.telemetry.testapp.TelemetryTestApplication;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.binder.grpc.ObservationGrpcClientInterceptor;
import io.micrometer.core.instrument.binder.grpc.ObservationGrpcServerInterceptor;
import dev.vigil.platform.telemetry.testapp.EchoGrpc;
import io.grpc.CallOptions;
import io.grpc.stub.ClientCalls;

import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.grpc.client.GrpcChannelFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * One request over loopback through a real service (embedded Tomcat, embedded PostgreSQL) and what it must leave
 * behind: spans, metrics, correlated and scrubbed logs, and OTLP exports to a receiver on loopback.
 */
@SpringBootTest(classes = TelemetryTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.application.name=vigil-telemetry-test", "VIGIL_ENVIRONMENT=test",
				"management.opentelemetry.tracing.export.schedule-delay=100ms",
				"management.opentelemetry.logging.export.schedule-delay=100ms",
				"management.otlp.metrics.export.step=1s", "spring.grpc.server.port=0",
				"spring.grpc.server.address=127.0.0.1",
				// This test asserts on OTLP export (to its own receiver): undo the test jar's NoNetworkExport.
				"management.tracing.export.otlp.enabled=true", "management.logging.export.otlp.enabled=true",
				"management.otlp.metrics.export.enabled=true" })
@ExtendWith(OutputCaptureExtension.class)
class TelemetryIntegrationTest {

	static final OtlpTestReceiver OTLP = start();

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	@LocalServerPort
	int port;

	@Autowired
	InMemorySpanExporter spans;

	@Autowired
	ConfigurableApplicationContext context;

	@Autowired
	GrpcChannelFactory channels;

	@Value("${local.grpc.server.port}")
	int grpcPort;

	@DynamicPropertySource
	static void otlp(DynamicPropertyRegistry registry) {
		registry.add("management.opentelemetry.tracing.export.otlp.endpoint", () -> OTLP.baseUrl() + "/v1/traces");
		registry.add("management.opentelemetry.logging.export.otlp.endpoint", () -> OTLP.baseUrl() + "/v1/logs");
		registry.add("management.otlp.metrics.export.url", () -> OTLP.baseUrl() + "/v1/metrics");
	}

	@BeforeEach
	void reset() {
		this.spans.reset();
	}

	@Test
	void requestProducesServerSpanWithJdbcChild() throws Exception {
		assertThat(get("/api/items/42").statusCode()).isEqualTo(200);

		SpanData server = await().atMost(Duration.ofSeconds(10)).until(() -> serverSpan("/api/items/{id}"),
				(s) -> s != null);
		assertThat(server.getName()).isEqualTo("GET /api/items/{id}");
		assertThat(server.getAttributes().get(AttributeKey.stringKey("http.request.method"))).isEqualTo("GET");
		assertThat(server.getAttributes().get(AttributeKey.stringKey("http.route"))).isEqualTo("/api/items/{id}");
		assertThat(String.valueOf(server.getAttributes().asMap().get(AttributeKey.stringKey("http.response.status_code"))))
			.isEqualTo("200");

		SpanData jdbc = await().atMost(Duration.ofSeconds(10))
			.until(() -> this.spans.getFinishedSpanItems()
				.stream()
				.filter((s) -> s.getKind() == SpanKind.CLIENT)
				.filter((s) -> s.getTraceId().equals(server.getTraceId()))
				.findFirst()
				.orElse(null), (s) -> s != null);
		assertThat(jdbc.getAttributes().get(AttributeKey.stringKey("db.system.name"))).isEqualTo("postgresql");
		String query = jdbc.getAttributes().get(AttributeKey.stringKey("db.query.text"));
		assertThat(query).contains("schemaname = ?").doesNotContain("'pg_catalog'");
	}

	@Test
	void serverDurationMetricHasSemconvLabelsAndSloBucket() throws Exception {
		get("/api/items/7");
		String prometheus = await().atMost(Duration.ofSeconds(10))
			.until(() -> get("/actuator/prometheus").body(), (b) -> b.contains("/api/items/{id}"));
		List<String> buckets = prometheus.lines()
			.filter((l) -> l.startsWith("http_server_request_duration_seconds_bucket{"))
			.filter((l) -> l.contains("http_route=\"/api/items/{id}\""))
			.toList();
		assertThat(buckets).anyMatch((l) -> l.contains("le=\"0.3\""));
		assertThat(buckets).anyMatch((l) -> l.contains("le=\"0.005\""));
		assertThat(buckets).allMatch((l) -> l.contains("http_request_method=\"GET\"")
				&& l.contains("http_response_status_code=\"200\""));
		assertThat(prometheus).contains("db_client_operation_duration_seconds_bucket{")
			.contains("db_system_name=\"postgresql\"");

		HttpResponse<String> openMetrics = HTTP.send(HttpRequest.newBuilder(uri("/actuator/prometheus"))
			.header("Accept", "application/openmetrics-text; version=1.0.0")
			.build(), HttpResponse.BodyHandlers.ofString());
		// Exemplars (trace ids on histogram buckets) are an OpenMetrics feature.
		assertThat(openMetrics.body().lines()
			.filter((l) -> l.startsWith("http_server_request_duration_seconds_bucket{"))
			.anyMatch((l) -> l.contains("# {") && l.contains("trace_id=\""))).isTrue();
	}

	@Test
	void logsCarryTraceIdAndAreScrubbed(CapturedOutput output) throws Exception {
		get("/api/items/99");
		SpanData server = await().atMost(Duration.ofSeconds(10)).until(() -> serverSpan("/api/items/{id}"),
				(s) -> s != null);
		String line = await().atMost(Duration.ofSeconds(5))
			.until(() -> output.getOut().lines().filter((l) -> l.contains("looking up item 99")).findFirst().orElse(null),
					(l) -> l != null);
		assertThat(line).startsWith("{").contains("\"trace_id\":\"" + server.getTraceId() + "\"").contains("\"span_id\":\"");
		assertThat(line).doesNotContain("alice@example.com")
			.doesNotContain("hunter2")
			.doesNotContain("eyJhbGciOiJSUzI1NiJ9")
			.doesNotContain("4111 1111 1111 1111")
			.contains("password=***");
	}

	@Test
	void exportsTracesMetricsAndLogsOverOtlpWithResourceAttributes() throws Exception {
		// One batch processor, the platform's (spans straight to the exporters), not Boot's as well: no double export.
		String[] processors = this.context.getBeanNamesForType(BatchSpanProcessor.class);
		assertThat(processors).hasSize(1);
		assertThat(this.context.getBeanFactory().getBeanDefinition(processors[0]).getFactoryBeanName())
			.isEqualTo(SpanExportAutoConfiguration.class.getName());
		get("/api/items/5");
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(OTLP.received("/v1/traces")).isNotEmpty());
		await().atMost(Duration.ofSeconds(15))
			.untilAsserted(() -> assertThat(OTLP.received("/v1/metrics")).isNotEmpty());
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(exportedLogs()).anyMatch(
				(r) -> r.getBody().getStringValue().contains("looking up item 5")));

		ExportLogsServiceRequest request = ExportLogsServiceRequest.parseFrom(OTLP.received("/v1/logs").get(0));
		ResourceLogs resourceLogs = request.getResourceLogs(0);
		Map<String, String> resource = resourceLogs.getResource()
			.getAttributesList()
			.stream()
			.collect(Collectors.toMap(KeyValue::getKey, (kv) -> kv.getValue().getStringValue(), (a, b) -> a));
		assertThat(resource).containsEntry("service.name", "vigil-telemetry-test")
			.containsEntry("deployment.environment.name", "test")
			.containsKeys("service.instance.id", "service.version");
		LogRecord record = exportedLogs().stream()
			.filter((r) -> r.getBody().getStringValue().contains("looking up item 5"))
			.findFirst()
			.orElseThrow();
		assertThat(record.getTraceId().size()).isEqualTo(16);
		assertThat(record.getBody().getStringValue()).doesNotContain("alice@example.com").doesNotContain("hunter2");
	}

	@Test
	void otlpLatencyHistogramHasSecondsBucketsAndTraceExemplars() throws Exception {
		get("/api/items/8");
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(exportedServerDurations())
			.anyMatch((p) -> p.getExemplarsCount() > 0));
		Metric metric = exportedMetrics().stream()
			.filter((m) -> m.getName().equals("http.server.request.duration"))
			.findFirst()
			.orElseThrow();
		// Micrometer's OTLP registry writes the unit as "seconds" (not UCUM "s"); Prometheus' OTLP translation
		// turns both into the _seconds suffix.
		assertThat(metric.getUnit()).isIn("s", "seconds");
		HistogramDataPoint point = exportedServerDurations().stream()
			.filter((p) -> p.getExemplarsCount() > 0)
			.findFirst()
			.orElseThrow();
		assertThat(point.getExplicitBoundsList()).contains(0.005, 0.3, 10.0);
		assertThat(point.getExemplars(0).getTraceId().size()).isEqualTo(16);
		assertThat(point.getAttributesList()).extracting(KeyValue::getKey)
			.contains("http.request.method", "http.route", "http.response.status_code");
	}

	private List<Metric> exportedMetrics() {
		return OTLP.received("/v1/metrics").stream().flatMap((body) -> {
			try {
				return ExportMetricsServiceRequest.parseFrom(body).getResourceMetricsList().stream();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}).flatMap((rm) -> rm.getScopeMetricsList().stream()).flatMap((sm) -> sm.getMetricsList().stream()).toList();
	}

	private List<HistogramDataPoint> exportedServerDurations() {
		return exportedMetrics().stream()
			.filter((m) -> m.getName().equals("http.server.request.duration") && m.hasHistogram())
			.flatMap((m) -> m.getHistogram().getDataPointsList().stream())
			.toList();
	}

	@Test
	void grpcCallsHaveSemconvSpansMetricsAndOneTrace() throws Exception {
		ManagedChannel channel = this.channels.createChannel("127.0.0.1:" + this.grpcPort);
		byte[] reply = ClientCalls.blockingUnaryCall(channel, EchoGrpc.SAY, CallOptions.DEFAULT, new byte[] { 1, 2 });
		assertThat(reply).containsExactly(1, 2);

		SpanData server = await().atMost(Duration.ofSeconds(10)).until(() -> span(SpanKind.SERVER,
				"vigil.test.Echo/Say"), (s) -> s != null);
		SpanData client = await().atMost(Duration.ofSeconds(10)).until(() -> span(SpanKind.CLIENT,
				"vigil.test.Echo/Say"), (s) -> s != null);
		// W3C traceparent went over gRPC metadata: the server span is the client span's child.
		assertThat(server.getTraceId()).isEqualTo(client.getTraceId());
		assertThat(server.getParentSpanId()).isEqualTo(client.getSpanId());
		assertThat(server.getAttributes().get(AttributeKey.stringKey("rpc.system"))).isEqualTo("grpc");
		assertThat(server.getAttributes().get(AttributeKey.stringKey("rpc.service"))).isEqualTo("vigil.test.Echo");
		assertThat(server.getAttributes().get(AttributeKey.stringKey("rpc.method"))).isEqualTo("Say");
		assertThat(server.getAttributes().get(AttributeKey.stringKey("rpc.grpc.status_code"))).isEqualTo("0");
		// The caller, from the transport (not the parsed :authority, which names the server).
		assertThat(server.getAttributes().get(AttributeKey.stringKey("network.peer.address"))).isEqualTo("127.0.0.1");
		assertThat(client.getAttributes().get(AttributeKey.stringKey("server.address")))
			.isEqualTo("127.0.0.1:" + this.grpcPort);
		// Platform's lean interceptors replace Boot's (one observation per call, no span event per message).
		assertThat(this.context.getBeansOfType(ObservationGrpcServerInterceptor.class).values())
			.singleElement()
			.isInstanceOf(GrpcObservationInterceptors.Server.class);
		assertThat(this.context.getBeansOfType(ObservationGrpcClientInterceptor.class).values())
			.singleElement()
			.isInstanceOf(GrpcObservationInterceptors.Client.class);
		assertThat(server.getEvents()).isEmpty();
		assertThat(client.getEvents()).isEmpty();
		assertThat(this.spans.getFinishedSpanItems()
			.stream()
			.filter((s) -> s.getTraceId().equals(client.getTraceId()) && s.getName().equals("vigil.test.Echo/Say")))
			.hasSize(2);

		String prometheus = get("/actuator/prometheus").body();
		assertThat(prometheus.lines().filter((l) -> l.startsWith("rpc_server_duration_seconds_bucket{")))
			.anyMatch((l) -> l.contains("rpc_service=\"vigil.test.Echo\"") && l.contains("rpc_method=\"Say\"")
					&& l.contains("rpc_grpc_status_code=\"0\"") && l.contains("rpc_system=\"grpc\"")
					&& l.contains("le=\"0.3\""));
		assertThat(prometheus).contains("rpc_client_duration_seconds_bucket{");
		channel.shutdownNow();
	}

	@Test
	void failedGrpcCallsCarryTheirStatusCode() throws Exception {
		ManagedChannel channel = this.channels.createChannel("127.0.0.1:" + this.grpcPort);
		assertThatThrownBy(
				() -> ClientCalls.blockingUnaryCall(channel, EchoGrpc.REJECT, CallOptions.DEFAULT, new byte[] { 1 }))
			.isInstanceOfSatisfying(StatusRuntimeException.class,
					(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));

		for (SpanKind kind : List.of(SpanKind.SERVER, SpanKind.CLIENT)) {
			SpanData span = await().atMost(Duration.ofSeconds(10)).until(() -> span(kind, "vigil.test.Echo/Reject"),
					(s) -> s != null);
			assertThat(span.getAttributes().get(AttributeKey.stringKey("rpc.grpc.status_code"))).isEqualTo("3");
		}
		String prometheus = get("/actuator/prometheus").body();
		assertThat(prometheus.lines().filter((l) -> l.startsWith("rpc_server_duration_seconds_count{")))
			.anyMatch((l) -> l.contains("rpc_method=\"Reject\"") && l.contains("rpc_grpc_status_code=\"3\""));
		assertThat(prometheus.lines().filter((l) -> l.startsWith("rpc_client_duration_seconds_count{")))
			.anyMatch((l) -> l.contains("rpc_method=\"Reject\"") && l.contains("rpc_grpc_status_code=\"3\""));
		channel.shutdownNow();
	}

	@Test
	void everyStreamedRequestMessageIsHandledInTheServerSpan() throws Exception {
		ManagedChannel channel = this.channels.createChannel("127.0.0.1:" + this.grpcPort);
		CompletableFuture<String> reply = new CompletableFuture<>();
		StreamObserver<byte[]> requests = ClientCalls.asyncClientStreamingCall(
				channel.newCall(EchoGrpc.COLLECT, CallOptions.DEFAULT), new StreamObserver<>() {
					@Override
					public void onNext(byte[] value) {
						reply.complete(new String(value, StandardCharsets.US_ASCII));
					}

					@Override
					public void onError(Throwable error) {
						reply.completeExceptionally(error);
					}

					@Override
					public void onCompleted() {
					}
				});
		requests.onNext(new byte[] { 1 });
		requests.onNext(new byte[] { 2 });
		requests.onCompleted();
		List<String> seen = reply.get(10, TimeUnit.SECONDS).lines().toList();

		SpanData server = await().atMost(Duration.ofSeconds(10)).until(() -> span(SpanKind.SERVER,
				"vigil.test.Echo/Collect"), (s) -> s != null);
		assertThat(seen).containsExactly(server.getSpanId(), server.getSpanId());
		channel.shutdownNow();
	}

	private SpanData span(SpanKind kind, String name) {
		return this.spans.getFinishedSpanItems()
			.stream()
			.filter((s) -> s.getKind() == kind && s.getName().equals(name))
			.findFirst()
			.orElse(null);
	}

	private List<LogRecord> exportedLogs() {
		return OTLP.received("/v1/logs").stream().flatMap((body) -> {
			try {
				return ExportLogsServiceRequest.parseFrom(body).getResourceLogsList().stream();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}).flatMap((rl) -> rl.getScopeLogsList().stream()).flatMap((sl) -> sl.getLogRecordsList().stream()).toList();
	}

	private SpanData serverSpan(String route) {
		return this.spans.getFinishedSpanItems()
			.stream()
			.filter((s) -> s.getKind() == SpanKind.SERVER)
			.filter((s) -> route.equals(s.getAttributes().get(AttributeKey.stringKey("http.route"))))
			.findFirst()
			.orElse(null);
	}

	private HttpResponse<String> get(String path) throws Exception {
		return HTTP.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private static OtlpTestReceiver start() {
		try {
			return new OtlpTestReceiver();
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
