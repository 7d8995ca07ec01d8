package dev.vigil.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class LoadGeneratorCliTest {

	private static TestServer server;

	@BeforeAll
	static void start() throws Exception {
		server = new TestServer(4, exchange -> {
			String path = exchange.getRequestURI().getPath();
			if (path.equals("/slow")) {
				try {
					Thread.sleep(20);
				}
				catch (InterruptedException e) {
					Thread.currentThread().interrupt();
				}
			}
			TestServer.respond(exchange, path.equals("/fail") ? 500 : 200, "ok");
		});
	}

	@AfterAll
	static void stop() {
		server.close();
	}

	record Result(int code, String out, String err) {
	}

	static Result run(String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int code = LoadGenerator.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	@Test
	void passesWhenThresholdsHoldAndWritesTheReport(@TempDir Path dir) throws Exception {
		Path json = dir.resolve("out/report.json");
		Result r = run("--scenario", "http-get", "--target", server.uri("/slow").toString(), "--rate", "50/s",
				"--duration", "1500ms", "--max-p99", "5s", "--max-error-rate", "1%", "--report", json.toString());
		assertThat(r.code()).as(r.err()).isZero();
		assertThat(r.out()).contains("http-get", "p99 ms", "PASSED");
		// Progress lines appear once a second.
		assertThat(r.out()).containsPattern("\\d+s  sent .*/s  in-flight");

		JsonNode report = JsonMapper.builder().build().readTree(Files.readString(json));
		assertThat(report.get("scheduled").asLong()).isEqualTo(75);
		assertThat(report.get("overall").get("completed").asLong()).isEqualTo(75);
		JsonNode latency = report.get("overall").get("latencyMs");
		assertThat(latency.get("p50").asDouble()).isGreaterThanOrEqualTo(20);
		// Percentiles in order: p95 sits between p90 and p99 (the seed stack's figure is a p95).
		assertThat(latency.get("p95").asDouble()).isBetween(latency.get("p90").asDouble(),
				latency.get("p99").asDouble());
		assertThat(report.get("scenarios").get(0).get("status").get("200").asLong()).isEqualTo(75);
		assertThat(report.get("thresholds").get("passed").asBoolean()).isTrue();
	}

	@Test
	void exitsOneWhenLatencyThresholdIsBreached() {
		Result r = run("--scenario", "http-get", "--target", server.uri("/slow").toString(), "--rate", "20/s",
				"--duration", "500ms", "--max-p99", "1ms", "--quiet");
		assertThat(r.code()).isEqualTo(1);
		assertThat(r.out()).contains("FAILED: p99");
	}

	@Test
	void exitsOneWhenErrorRateIsBreached() {
		Result r = run("--scenario=http-get", "--target=" + server.uri("/fail"), "--rate=20/s", "--duration=500ms",
				"--max-error-rate=1%", "--quiet");
		assertThat(r.code()).isEqualTo(1);
		assertThat(r.out()).contains("FAILED: error rate 100.0%", "status 500: 10");
	}

	@Test
	void exitsOneWithAMessageWhenTheTargetIsDown() {
		Result r = run("--scenario", "http-get", "--target", "http://127.0.0.1:1/", "--rate", "5/s", "--duration",
				"1s", "--quiet");
		assertThat(r.code()).isEqualTo(1);
		assertThat(r.err()).contains("could not start", "cannot connect").doesNotContain("\tat ");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"--rat 5/s                               | unknown option '--rat' | did you mean --rate?",
			"--rate fast                             | --rate: 'fast'         | e.g. --rate 200/s",
			"--rate 0/s                              | --rate must be positive | e.g. --rate 200/s",
			"--duration 60                           | has no unit            | e.g. --duration 60s",
			"--rate 5/s --ramp 1/s..2/s              | both set the rate      | keep only one",
			"--ramp 5/s                              | needs a from..to range | --ramp 10/s..500/s",
			"--steps 100/s                           | needs rate:duration    | --steps 100/s:30s",
			"--scenario http-get                     | needs the URL to GET   | add --target",
			"--scenario soap                         | unknown scenario       | --scenario shop",
			"--target localhost:8080                 | not an http(s) URL     | --target http://127.0.0.1:8080",
			"--mix browse=50,buy=10                  | unknown scenario 'buy' | e.g. --mix",
			"--max-error-rate 150%                   | not between 0% and 100% | --max-error-rate 1%",
			"--max-in-flight 0                       | out of range           | from 1 to",
			"--report                                | --report needs a value | --report out.json",
			"extra                                   | unexpected argument    | --name value" })
	void badUsageExitsTwoWithTheProblemAndTheFix(String args, String problem, String fix) {
		Result r = run(args.trim().split("\\s+"));
		assertThat(r.code()).isEqualTo(2);
		assertThat(r.err()).contains(problem.trim()).contains("fix: ").contains(fix.trim());
		assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
		assertThat(r.out()).isEmpty();
	}

	@Test
	void helpListsEveryOption() {
		Result r = run("--help");
		assertThat(r.code()).isZero();
		assertThat(r.out()).contains("--rate", "--ramp", "--steps", "--duration", "--max-in-flight", "--mix",
				"--report", "--max-p99", "--max-error-rate", "Exit codes");
	}
}
