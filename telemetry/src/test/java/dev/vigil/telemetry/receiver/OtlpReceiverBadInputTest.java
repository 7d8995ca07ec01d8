package dev.vigil.telemetry.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vigil.telemetry.promql.Value;
import dev.vigil.telemetry.server.ServerConfig;
import dev.vigil.telemetry.server.TelemetryServer;
import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.export.SimpleLogRecordProcessor;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OtlpReceiverBadInputTest {

	private static final int LIMIT = 1024 * 1024;

	private final HttpClient http = HttpClient.newHttpClient();

	private TelemetryServer server;

	@BeforeEach
	void start() throws Exception {
		server = TelemetryServer.start(ServerConfig.forTests().withLimits(1000, LIMIT, 4));
	}

	@AfterEach
	void stop() {
		server.close();
	}

	private HttpResponse<String> post(String path, String type, String encoding, byte[] body) throws Exception {
		return post(path, type, encoding, body, HttpResponse.BodyHandlers.ofString());
	}

	private <T> HttpResponse<T> post(String path, String type, String encoding, byte[] body,
			HttpResponse.BodyHandler<T> handler) throws Exception {
		HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.otlpHttpPort() + path))
			.POST(HttpRequest.BodyPublishers.ofByteArray(body));
		if (type != null) {
			b.header("Content-Type", type);
		}
		if (encoding != null) {
			b.header("Content-Encoding", encoding);
		}
		return http.send(b.build(), handler);
	}

	private double queryValue(String promql) {
		Value v = server.engine().instantQuery(promql, System.currentTimeMillis()).value();
		List<Value.Sample> s = ((Value.Vector) v).samples();
		assertThat(s).as(promql).hasSize(1);
		return s.get(0).value();
	}

	private static String jsonMetrics(long nowNanos) {
		return """
				{"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"json-svc"}}]},
				 "scopeMetrics":[{"metrics":[
				  {"name":"queue.depth","unit":"{item}","gauge":{"dataPoints":[
				    {"timeUnixNano":"%d","asInt":"42","attributes":[{"key":"1bad.key","value":{"stringValue":"x"}}],
				     "exemplars":[{"timeUnixNano":"%d","asDouble":42,"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174"}]},
				    {"attributes":[]}]}}]}]}]}
				""".formatted(nowNanos, nowNanos);
	}

	@Test
	void shouldAcceptOtlpJsonWithHexIdsAndReportPartialSuccess() throws Exception {
		HttpResponse<String> r = post("/v1/metrics", "application/json", null,
				jsonMetrics(System.currentTimeMillis() * 1_000_000).getBytes(StandardCharsets.UTF_8));
		assertThat(r.statusCode()).isEqualTo(200);
		assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(r.body()).contains("\"partialSuccess\"").contains("\"rejectedDataPoints\":\"1\"")
			.contains("without a timestamp");
		assertThat(queryValue("queue_depth{job=\"json-svc\", key_1bad_key=\"x\"}")).isEqualTo(42.0);
		var exemplars = server.exemplars().select(0, Long.MAX_VALUE, List.of());
		assertThat(exemplars.values().iterator().next().get(0).labels().get("trace_id"))
			.isEqualTo("5b8efff798038103d269b633813fc60c");
		assertThat(server.receiverStats().dataPointsRejected()).isEqualTo(1);
	}

	@Test
	void shouldRejectMalformedBodiesWith400() throws Exception {
		HttpResponse<String> proto = post("/v1/metrics", "application/x-protobuf", null,
				new byte[] { 0x0a, (byte) 0xff, (byte) 0xff, 0x01 });
		assertThat(proto.statusCode()).isEqualTo(400);
		HttpResponse<String> json = post("/v1/metrics", "application/json", null,
				"{\"resourceMetrics\": [".getBytes(StandardCharsets.UTF_8));
		assertThat(json.statusCode()).isEqualTo(400);
		assertThat(json.body()).contains("malformed JSON");
		HttpResponse<String> badId = post("/v1/traces", "application/json", null,
				"{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"zz\"}]}]}]}"
					.getBytes(StandardCharsets.UTF_8));
		assertThat(badId.statusCode()).isEqualTo(400);
		assertThat(badId.body()).contains("traceId must be a hex string");
		HttpResponse<String> badGzip = post("/v1/metrics", "application/x-protobuf", "gzip", new byte[] { 1, 2, 3 });
		assertThat(badGzip.statusCode()).isEqualTo(400);
		assertThat(server.receiverStats().requestsInvalid()).isEqualTo(4);
	}

	@Test
	void shouldRejectMalformedSpanAndLogRequestsWithInvalidArgumentOverGrpcAnd400OverHttp() throws Exception {
		byte[] truncated = { 0x0a, 0x10, 0x12, 0x05 }; // a ResourceSpans claiming 16 bytes, 2 present
		ManagedChannel ch = ManagedChannelBuilder.forAddress("127.0.0.1", server.otlpGrpcPort()).usePlaintext().build();
		try {
			MethodDescriptor<byte[], ExportTraceServiceResponse> raw = TraceServiceGrpc.getExportMethod()
				.toBuilder(RawBytesMarshaller.INSTANCE,
						ProtoUtils.marshaller(ExportTraceServiceResponse.getDefaultInstance()))
				.build();
			StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
					() -> ClientCalls.blockingUnaryCall(ch, raw, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
							truncated));
			assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
			assertThat(e.getStatus().getDescription()).startsWith("cannot decode OTLP/protobuf request: ")
				.contains("input ended unexpectedly");
			// a well-formed request on the same channel is still served
			assertThat(ClientCalls.blockingUnaryCall(ch, raw, CallOptions.DEFAULT, ExportTraceServiceRequest.newBuilder()
				.addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(Span.newBuilder()
					.setTraceId(ByteString.copyFrom(new byte[16]))
					.setSpanId(ByteString.copyFrom(new byte[8])))))
				.build()
				.toByteArray())).isEqualTo(ExportTraceServiceResponse.getDefaultInstance());
			MethodDescriptor<byte[], ExportLogsServiceResponse> rawLogs = LogsServiceGrpc.getExportMethod()
				.toBuilder(RawBytesMarshaller.INSTANCE, ProtoUtils.marshaller(ExportLogsServiceResponse.getDefaultInstance()))
				.build();
			StatusRuntimeException logs = assertThrows(StatusRuntimeException.class,
					() -> ClientCalls.blockingUnaryCall(ch, rawLogs, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
							truncated));
			assertThat(logs.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
			assertThat(logs.getStatus().getDescription()).startsWith("cannot decode OTLP/protobuf request: ");
		}
		finally {
			ch.shutdownNow();
		}
		// binary: a google.rpc.Status
		HttpResponse<byte[]> http = post("/v1/traces", "application/x-protobuf", null, truncated,
				HttpResponse.BodyHandlers.ofByteArray());
		assertThat(http.statusCode()).isEqualTo(400);
		assertThat(com.google.rpc.Status.parseFrom(http.body()).getMessage())
			.startsWith("cannot decode OTLP/protobuf request: ");
		assertThat(server.receiverStats().requestsInvalid()).isEqualTo(3);
		assertThat(server.receiverStats().spansReceived()).isEqualTo(1);
	}

	@Test
	void shouldBoundOneHundredThousandSeriesInOneRequest() throws Exception {
		long t = System.currentTimeMillis() * 1_000_000;
		var gauge = io.opentelemetry.proto.metrics.v1.Gauge.newBuilder();
		for (int i = 0; i < 100_000; i++) {
			gauge.addDataPoints(io.opentelemetry.proto.metrics.v1.NumberDataPoint.newBuilder()
				.setTimeUnixNano(t)
				.setAsInt(i)
				.addAttributes(io.opentelemetry.proto.common.v1.KeyValue.newBuilder()
					.setKey("user.id")
					.setValue(io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setStringValue("u" + i))));
		}
		byte[] body = ExportMetricsServiceRequest.newBuilder()
			.addResourceMetrics(io.opentelemetry.proto.metrics.v1.ResourceMetrics.newBuilder()
				.addScopeMetrics(io.opentelemetry.proto.metrics.v1.ScopeMetrics.newBuilder()
					.addMetrics(io.opentelemetry.proto.metrics.v1.Metric.newBuilder().setName("cardinality.bomb")
						.setGauge(gauge))))
			.build()
			.toByteArray();
		try (TelemetryServer big = TelemetryServer.start(ServerConfig.forTests().withLimits(50_000, 16 << 20, 4))) {
			server.close();
			server = big;
			HttpResponse<byte[]> r = http.send(
					HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + big.otlpHttpPort() + "/v1/metrics"))
						.header("Content-Type", "application/x-protobuf")
						.POST(HttpRequest.BodyPublishers.ofByteArray(body))
						.build(),
					HttpResponse.BodyHandlers.ofByteArray());
			assertThat(r.statusCode()).isEqualTo(200);
			var response = io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse.parseFrom(r.body());
			assertThat(response.getPartialSuccess().getRejectedDataPoints()).isEqualTo(50_000);
			assertThat(response.getPartialSuccess().getErrorMessage()).contains("too many series in one request");
			assertThat(big.storage().stats().series()).isLessThanOrEqualTo(50_000 + 100);
		}
	}

	@Test
	void shouldRejectUnsupportedMediaTypesWith415() throws Exception {
		assertThat(post("/v1/metrics", "text/plain", null, new byte[0]).statusCode()).isEqualTo(415);
		assertThat(post("/v1/metrics", "application/x-protobuf", "br", new byte[0]).statusCode()).isEqualTo(415);
	}

	@Test
	void shouldRejectOversizedBodiesWith413IncludingDecompressionBombs() throws Exception {
		assertThat(post("/v1/metrics", "application/x-protobuf", null, new byte[LIMIT + 1]).statusCode()).isEqualTo(413);
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
			gz.write(new byte[LIMIT * 4]);
		}
		assertThat(bytes.size()).isLessThan(LIMIT);
		HttpResponse<String> bomb = post("/v1/metrics", "application/x-protobuf", "gzip", bytes.toByteArray());
		assertThat(bomb.statusCode()).isEqualTo(413);
		assertThat(server.receiverStats().requestsTooLarge()).isEqualTo(2);
	}

	@Test
	void shouldAnswerMalformedGrpcMetricsWithInvalidArgument() {
		ManagedChannel ch = ManagedChannelBuilder.forAddress("127.0.0.1", server.otlpGrpcPort()).usePlaintext().build();
		try {
			// a resource_metrics field whose length runs past the end of the message
			MethodDescriptor<byte[], ExportMetricsServiceResponse> raw = MetricsServiceGrpc.getExportMethod()
				.toBuilder(RawBytesMarshaller.INSTANCE, MetricsServiceGrpc.getExportMethod().getResponseMarshaller())
				.build();
			StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
					() -> ClientCalls.blockingUnaryCall(ch, raw, CallOptions.DEFAULT.withDeadlineAfter(10,
							TimeUnit.SECONDS), new byte[] { 0x0a, (byte) 0xff, (byte) 0xff, 0x01 }));
			assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
			assertThat(e.getStatus().getDescription()).startsWith("cannot decode OTLP/protobuf request: ");
			assertThat(server.receiverStats().requestsInvalid()).isEqualTo(1);
			assertThat(server.receiverStats().dataPointsReceived()).isZero();
		}
		finally {
			ch.shutdownNow();
		}
	}

	@Test
	void shouldThrottleWith429AndResourceExhaustedWhenTheIngestLimitIsReached() throws Exception {
		IngestLimiter limiter = server.ingest().limiter();
		int held = 0;
		while (limiter.tryAcquire()) {
			held++;
		}
		try {
			HttpResponse<String> r = post("/v1/metrics", "application/x-protobuf", null,
					ExportMetricsServiceRequest.getDefaultInstance().toByteArray());
			assertThat(r.statusCode()).isEqualTo(429);
			assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
			ManagedChannel ch = ManagedChannelBuilder.forAddress("127.0.0.1", server.otlpGrpcPort()).usePlaintext()
				.build();
			try {
				StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
						() -> MetricsServiceGrpc.newBlockingStub(ch)
							.withDeadlineAfter(10, TimeUnit.SECONDS)
							.export(ExportMetricsServiceRequest.getDefaultInstance()));
				assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
			}
			finally {
				ch.shutdownNow();
			}
		}
		finally {
			for (int i = 0; i < held; i++) {
				limiter.release();
			}
		}
		assertThat(server.receiverStats().requestsThrottled()).isEqualTo(2);
		assertThat(post("/v1/metrics", "application/x-protobuf", null,
				ExportMetricsServiceRequest.getDefaultInstance().toByteArray()).statusCode()).isEqualTo(200);
	}

	@Test
	void shouldCountSpansAndLogsFromTheOpenTelemetrySdk() {
		Resource resource = Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "traced"));
		try (SdkTracerProvider tracing = SdkTracerProvider.builder().setResource(resource)
			.addSpanProcessor(SimpleSpanProcessor.create(OtlpGrpcSpanExporter.builder()
				.setEndpoint("http://127.0.0.1:" + server.otlpGrpcPort()).build()))
			.build();
				SdkLoggerProvider logging = SdkLoggerProvider.builder().setResource(resource)
					.addLogRecordProcessor(SimpleLogRecordProcessor.create(OtlpHttpLogRecordExporter.builder()
						.setEndpoint("http://127.0.0.1:" + server.otlpHttpPort() + "/v1/logs").build()))
					.build()) {
			for (int i = 0; i < 3; i++) {
				tracing.get("t").spanBuilder("op-" + i).startSpan().end();
			}
			logging.get("l").logRecordBuilder().setBody("hello").emit();
			assertThat(tracing.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
			assertThat(logging.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
		}
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(server.receiverStats().spansReceived()).isEqualTo(3);
			assertThat(server.receiverStats().logRecordsReceived()).isEqualTo(1);
		});
	}

}
