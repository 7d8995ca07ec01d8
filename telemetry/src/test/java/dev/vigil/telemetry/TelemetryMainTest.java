package dev.vigil.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TelemetryMainTest {

	private static Path resource(String name) throws Exception {
		return Path.of(TelemetryMainTest.class.getResource("/rules/" + name).toURI());
	}

	private record Run(int code, String out, String err) {
	}

	private static Run run(String... args) {
		PrintStream out = System.out;
		PrintStream err = System.err;
		ByteArrayOutputStream o = new ByteArrayOutputStream();
		ByteArrayOutputStream e = new ByteArrayOutputStream();
		try {
			System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
			System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
			int code = TelemetryMain.run(args);
			return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
		}
		finally {
			System.setOut(out);
			System.setErr(err);
		}
	}

	@Test
	void shouldExitZeroWhenRuleTestsPassAndOneWhenTheyFail() throws Exception {
		Run ok = run("test-rules", resource("example.test.yml").toString());
		assertThat(ok.code()).as(ok.out()).isZero();
		assertThat(ok.out()).contains("SUCCESS");
		Run failed = run("test-rules", resource("example.test.yml").toString(), resource("failing.test.yml").toString());
		assertThat(failed.code()).isEqualTo(1);
		assertThat(failed.out()).contains("SUCCESS").contains("FAILED:");
	}

	@Test
	void shouldServeTracesAndLogsThroughTempoAndLokiApis() throws Exception {
		try (var server = TelemetryMain.startWithStores(dev.vigil.telemetry.server.ServerConfig.forTests());
				var tracing = io.opentelemetry.sdk.trace.SdkTracerProvider.builder()
					.addSpanProcessor(io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(
							io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter.builder()
								.setEndpoint("http://127.0.0.1:" + server.otlpGrpcPort())
								.build()))
					.build()) {
			var span = tracing.get("t").spanBuilder("checkout").startSpan();
			span.end();
			assertThat(tracing.forceFlush().join(10, java.util.concurrent.TimeUnit.SECONDS).isSuccess()).isTrue();
			var api = new dev.vigil.telemetry.server.PromApiClient(server.httpPort());
			org.awaitility.Awaitility.await()
				.atMost(java.time.Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(api.get("/api/traces/" + span.getSpanContext().getTraceId()).statusCode())
					.isEqualTo(200));
			assertThat(api.get("/loki/api/v1/labels").statusCode()).isEqualTo(200);
			assertThat(api.get("/api/v1/query?query=up").statusCode()).isEqualTo(200);
		}
	}

	@Test
	void shouldExitTwoWithMessageAndFixOnBadFlags() {
		Run r = run("--otlp-grpc-port=70000");
		assertThat(r.code()).isEqualTo(2);
		assertThat(r.err()).isEqualTo("vigil-telemetry: error: --otlp-grpc-port: \"70000\" is not a port number\n"
				+ "  fix: use a number from 1 to 65535, or 0 for any free port\n");
	}

	@Test
	void shouldRefuseInvalidRuleFilesNamingTheRule() throws Exception {
		Run r = run("--rules=" + resource("invalid.rules.yml"), "--http-port=0", "--otlp-grpc-port=0",
				"--otlp-http-port=0", "--data-dir=", "--listen-address=127.0.0.1");
		assertThat(r.code()).isEqualTo(2);
		assertThat(r.err()).contains("invalid rule files").contains("group \"broken\", rule 1 (alert \"NoExpr\")")
			.doesNotContain("Exception");
	}

}
