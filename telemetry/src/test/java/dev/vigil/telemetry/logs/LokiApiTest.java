package dev.vigil.telemetry.logs;

import static dev.vigil.telemetry.logs.Logs.NOW;
import static dev.vigil.telemetry.logs.Logs.SECOND;
import static dev.vigil.telemetry.logs.Logs.params;
import static dev.vigil.telemetry.logs.Logs.record;
import static dev.vigil.telemetry.logs.Logs.service;
import static dev.vigil.telemetry.logs.Logs.traced;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.telemetry.api.ApiResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class LokiApiTest {

	static final JsonMapper JSON = JsonMapper.builder().build();

	static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

	static final String SPAN_A = "00f067aa0ba902b7";

	static final String SPAN_B = "00f067aa0ba902b8";

	LogStore store;

	LokiApi api;

	/**
	 * orders (production): 6 lines over the last minute, one per 10 s: info, warn, error (JSON bodies), two of them
	 * in one trace; payments (staging): 2 logfmt lines.
	 */
	@BeforeEach
	void ingest() {
		store = new LogStore(LogStore.Config.defaults(), () -> NOW);
		api = new LokiApi(store, QueryLimits.defaults(), () -> NOW);
		long t0 = NOW - 60 * SECOND;
		store.append(List.of(
				service("orders", "production",
						record(t0, "INFO", "{\"msg\":\"order placed\",\"status\":200,\"http\":{\"route\":\"/orders\"}}")
							.addAttributes(Logs.attribute("http.method", "POST")).build(),
						record(t0 + 10 * SECOND, "INFO", "{\"msg\":\"order listed\",\"status\":200,\"duration\":\"15ms\"}").build(),
						traced(t0 + 20 * SECOND, "WARNING", "{\"msg\":\"slow payment\",\"status\":200,\"duration\":\"1.5s\"}", TRACE, SPAN_A),
						traced(t0 + 30 * SECOND, "ERROR", "{\"msg\":\"payment failed\",\"status\":500,\"duration\":\"2s\"}", TRACE, SPAN_B),
						record(t0 + 40 * SECOND, "ERROR", "{\"msg\":\"db timeout\",\"status\":503}").build(),
						record(t0 + 50 * SECOND, "", "not json at all").setSeverityNumber(
								io.opentelemetry.proto.logs.v1.SeverityNumber.SEVERITY_NUMBER_INFO).build()),
				service("payments", "staging",
						record(t0 + 5 * SECOND, "info", "level=info msg=\"charge ok\" amount=12.5 latency=20ms").build(),
						record(t0 + 15 * SECOND, "debug", "level=debug msg=\"retrying\" attempt=2").build())));
	}

	JsonNode get(String path, String... params) {
		ApiResponse response = api.handle(path, params(params));
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		return JSON.readTree(response.body());
	}

	JsonNode range(String query, String... more) {
		List<String> params = new ArrayList<>(List.of("query", query, "start", Logs.seconds(NOW - 3600 * SECOND), "end",
				Logs.seconds(NOW)));
		params.addAll(List.of(more));
		return get("/loki/api/v1/query_range", params.toArray(String[]::new));
	}

	/** Lines across streams in timestamp order, newest first. */
	static List<String> newestFirst(JsonNode response) {
		List<Map.Entry<Long, String>> entries = new ArrayList<>();
		for (JsonNode stream : response.path("data").path("result")) {
			for (JsonNode value : stream.path("values")) {
				entries.add(Map.entry(Long.parseLong(value.get(0).stringValue()), value.get(1).stringValue()));
			}
		}
		entries.sort(Map.Entry.<Long, String>comparingByKey().reversed());
		return entries.stream().map(Map.Entry::getValue).toList();
	}

	@Test
	void streamSelectorWithEqualityAndRegex() {
		JsonNode response = range("{service_name=\"orders\", level=~\"warn|error\"}");
		assertThat(response.path("data").path("resultType").stringValue()).isEqualTo("streams");
		assertThat(newestFirst(response)).hasSize(3).allMatch(line -> line.contains("payment") || line.contains("db"));
		for (JsonNode stream : response.path("data").path("result")) {
			JsonNode labels = stream.path("stream");
			assertThat(labels.path("service_name").stringValue()).isEqualTo("orders");
			assertThat(labels.path("job").stringValue()).isEqualTo("shop/orders");
			assertThat(labels.path("deployment_environment").stringValue()).isEqualTo("production");
			assertThat(labels.path("level").stringValue()).isIn("warn", "error");
			// resource attributes that are not labels come back as structured metadata, named with _
			assertThat(labels.path("service_instance_id").stringValue()).isEqualTo("orders-1");
		}
		assertThat(newestFirst(range("{service_name!=\"orders\", job=~\".+\"}"))).hasSize(2);
		// as in Loki, a selector of only empty-compatible matchers is refused
		assertThat(api.handle("/loki/api/v1/query_range", params("query", "{service_name!=\"orders\"}")).status())
			.isEqualTo(400);
		assertThat(newestFirst(range("{service_name=\"orders\", level!~\"warn|error\"}"))).hasSize(3);
		// fully anchored: "order" does not match "orders"
		assertThat(newestFirst(range("{service_name=~\"order\"}"))).isEmpty();
	}

	@Test
	void levelComesFromSeverityNumberWhenTextIsEmpty() {
		assertThat(newestFirst(range("{service_name=\"orders\", level=\"info\"}"))).contains("not json at all");
	}

	@Test
	void lineFiltersChain() {
		assertThat(newestFirst(range("{service_name=\"orders\"} |= \"payment\""))).containsExactly(
				"{\"msg\":\"payment failed\",\"status\":500,\"duration\":\"2s\"}",
				"{\"msg\":\"slow payment\",\"status\":200,\"duration\":\"1.5s\"}");
		assertThat(newestFirst(range("{service_name=\"orders\"} |= \"payment\" != \"failed\""))).hasSize(1);
		assertThat(newestFirst(range("{service_name=\"orders\"} |~ \"order (placed|listed)\""))).hasSize(2);
		assertThat(newestFirst(range("{service_name=\"orders\"} !~ \"status\\\":[0-9]+\""))).containsExactly(
				"not json at all");
		assertThat(newestFirst(range("{job=~\".+\"} |= `charge`"))).containsExactly(
				"level=info msg=\"charge ok\" amount=12.5 latency=20ms");
	}

	@Test
	void jsonParserAndLabelFilters() {
		// as in Loki, the line whose JSON failed to parse passes numeric filters, flagged with __error__
		assertThat(newestFirst(range("{service_name=\"orders\"} | json | status >= 500"))).hasSize(3)
			.contains("not json at all");
		JsonNode response = range("{service_name=\"orders\"} | json | __error__=\"\" | status >= 500");
		assertThat(newestFirst(response)).hasSize(2);
		for (JsonNode stream : response.path("data").path("result")) {
			assertThat(stream.path("stream").path("msg").stringValue()).isIn("payment failed", "db timeout");
		}
		assertThat(newestFirst(range("{service_name=\"orders\"} | json | http_route=\"/orders\""))).hasSize(1);
		assertThat(newestFirst(range("{service_name=\"orders\"} | json | __error__=\"\" | duration > 1s"))).hasSize(2);
		assertThat(newestFirst(range("{service_name=\"orders\"} | json | msg=~\".*pay.*\" and status=\"200\""))).hasSize(1);
		// the line that is not JSON carries __error__ and can be filtered out by it
		JsonNode errors = range("{service_name=\"orders\"} | json | __error__!=\"\"");
		assertThat(errors.path("data").path("result").get(0).path("stream").path("__error__").stringValue())
			.isEqualTo("JSONParserErr");
		assertThat(newestFirst(range("{service_name=\"orders\"} | json | __error__=\"\""))).hasSize(5);
		// trace_id from structured metadata is a label too
		assertThat(newestFirst(range("{service_name=\"orders\"} | trace_id=\"" + TRACE + "\""))).hasSize(2);
		assertThat(newestFirst(range("{service_name=\"orders\"} | http_method=\"POST\""))).hasSize(1);
	}

	@Test
	void logfmtParser() {
		JsonNode response = range("{service_name=\"payments\"} | logfmt | latency < 1s");
		assertThat(newestFirst(response)).hasSize(1);
		JsonNode labels = response.path("data").path("result").get(0).path("stream");
		assertThat(labels.path("msg").stringValue()).isEqualTo("charge ok");
		// "level" is a stream label, so the extracted one is renamed as in Loki
		assertThat(labels.path("level_extracted").stringValue()).isEqualTo("info");
		assertThat(newestFirst(range("{service_name=\"payments\"} | logfmt | attempt == 2"))).hasSize(1);
	}

	@Test
	void directionAndLimit() {
		List<String> backward = newestFirst(range("{service_name=\"orders\"}", "limit", "2"));
		assertThat(backward).hasSize(2).first().isEqualTo("not json at all");
		JsonNode forward = range("{service_name=\"orders\"}", "limit", "2", "direction", "forward");
		assertThat(newestFirst(forward)).hasSize(2).last().asString().contains("order placed");
		// within a stream, values are in the requested direction
		JsonNode all = range("{service_name=\"payments\"}", "direction", "forward");
		JsonNode values = all.path("data").path("result").get(0).path("values");
		if (values.size() == 2) {
			assertThat(Long.parseLong(values.get(0).get(0).stringValue()))
				.isLessThan(Long.parseLong(values.get(1).get(0).stringValue()));
		}
		// start is inclusive, end exclusive
		long t0 = NOW - 60 * SECOND;
		JsonNode window = get("/loki/api/v1/query_range", "query", "{service_name=\"orders\"}", "start",
				Long.toString(t0 + 10 * SECOND), "end", Long.toString(t0 + 30 * SECOND));
		assertThat(newestFirst(window)).hasSize(2);
		JsonNode since = get("/loki/api/v1/query_range", "query", "{service_name=\"orders\"}", "since", "25s");
		assertThat(newestFirst(since)).hasSize(2);
	}

	@Test
	void countOverTimeRateAndSumBy() {
		long t0 = NOW - 60 * SECOND;
		JsonNode count = get("/loki/api/v1/query_range", "query",
				"sum by (level) (count_over_time({service_name=\"orders\"}[1m]))", "start", Logs.seconds(NOW - 60 * SECOND),
				"end", Logs.seconds(NOW), "step", "60");
		assertThat(count.path("data").path("resultType").stringValue()).isEqualTo("matrix");
		Map<String, String> atEnd = new java.util.TreeMap<>();
		for (JsonNode series : count.path("data").path("result")) {
			assertThat(series.path("metric").size()).isEqualTo(1);
			JsonNode last = series.path("values").get(series.path("values").size() - 1);
			assertThat(last.get(0).asLong()).isEqualTo(NOW / SECOND);
			atEnd.put(series.path("metric").path("level").stringValue(), last.get(1).stringValue());
		}
		// window (now-1m, now]: the t0 line is just outside
		assertThat(atEnd).containsEntry("info", "2").containsEntry("warn", "1").containsEntry("error", "2");

		JsonNode rate = get("/loki/api/v1/query", "query", "sum(rate({service_name=\"orders\"}[2m]))", "time",
				Logs.seconds(NOW));
		assertThat(rate.path("data").path("resultType").stringValue()).isEqualTo("vector");
		JsonNode sample = rate.path("data").path("result").get(0);
		assertThat(sample.path("metric").size()).isZero();
		assertThat(sample.path("value").get(1).stringValue()).isEqualTo("0.05"); // 6 lines / 120 s

		JsonNode bytes = get("/loki/api/v1/query", "query", "sum(bytes_over_time({service_name=\"orders\"} |= \"not json\" [5m]))",
				"time", Logs.seconds(NOW));
		assertThat(bytes.path("data").path("result").get(0).path("value").get(1).stringValue()).isEqualTo("15");

		JsonNode without = get("/loki/api/v1/query", "query",
				"sum without (trace_id, span_id) (count_over_time({service_name=\"orders\"} | json | __error__=\"\" | status >= 500 [5m]))",
				"time", Logs.seconds(NOW));
		assertThat(without.path("data").path("result")).hasSize(2);

		// steps with no line in their window have no point
		JsonNode sparse = get("/loki/api/v1/query_range", "query", "count_over_time({service_name=\"payments\"}[10s])",
				"start", Logs.seconds(t0), "end", Logs.seconds(NOW), "step", "10s");
		int points = 0;
		for (JsonNode series : sparse.path("data").path("result")) {
			points += series.path("values").size();
		}
		assertThat(points).isEqualTo(2);
	}

	@Test
	void metricQueryOverUnparsableLinesIsAPipelineError() {
		ApiResponse response = api.handle("/loki/api/v1/query", params("query",
				"sum(count_over_time({service_name=\"orders\"} | json [5m]))", "time", Logs.seconds(NOW)));
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.body()).contains("pipeline error: 'JSONParserErr'");
		JsonNode ok = get("/loki/api/v1/query", "query",
				"sum(count_over_time({service_name=\"orders\"} | json | __error__=\"\" [5m]))", "time", Logs.seconds(NOW));
		assertThat(ok.path("data").path("result").get(0).path("value").get(1).stringValue()).isEqualTo("5");
	}

	@Test
	void labelsLabelValuesAndSeries() {
		JsonNode labels = get("/loki/api/v1/labels");
		assertThat(labels.path("data").valueStream().map(JsonNode::stringValue).toList())
			.containsExactly("deployment_environment", "job", "level", "service_name");
		JsonNode services = get("/loki/api/v1/label/service_name/values");
		assertThat(services.path("data").valueStream().map(JsonNode::stringValue).toList())
			.containsExactly("orders", "payments");
		JsonNode levels = get("/loki/api/v1/label/level/values", "query", "{service_name=\"orders\"}");
		assertThat(levels.path("data").valueStream().map(JsonNode::stringValue).toList())
			.containsExactly("error", "info", "warn");
		JsonNode series = get("/loki/api/v1/series", "match[]", "{service_name=\"payments\"}", "match[]",
				"{level=\"warn\"}");
		assertThat(series.path("data")).hasSize(3);
		assertThat(series.path("data").get(0).path("job").isString()).isTrue();
		// outside the time range: nothing
		JsonNode old = get("/loki/api/v1/labels", "start", Logs.seconds(NOW - 86400 * SECOND), "end",
				Logs.seconds(NOW - 80000 * SECOND));
		assertThat(old.path("data")).isEmpty();
	}

	@Test
	void indexStats() {
		JsonNode stats = get("/loki/api/v1/index/stats", "query", "{service_name=\"payments\"}");
		assertThat(stats.path("streams").asLong()).isEqualTo(2);
		assertThat(stats.path("entries").asLong()).isEqualTo(2);
		assertThat(stats.path("bytes").asLong()).isEqualTo(51 + 36);
		assertThat(stats.path("chunks").asLong()).isEqualTo(1);
	}

	@Test
	void logsOfATraceAndOfASpan() {
		JsonNode trace = get("/loki/api/v1/trace/" + TRACE);
		JsonNode entries = trace.path("data").path("entries");
		assertThat(entries).hasSize(2);
		assertThat(entries.get(0).path("line").stringValue()).contains("slow payment"); // newest last
		assertThat(entries.get(1).path("line").stringValue()).contains("payment failed");
		assertThat(entries.get(1).path("spanId").stringValue()).isEqualTo(SPAN_B);
		assertThat(entries.get(1).path("stream").path("level").stringValue()).isEqualTo("error");
		assertThat(entries.get(1).path("metadata").path("trace_id").stringValue()).isEqualTo(TRACE);
		assertThat(entries.get(1).path("metadata").path("severity_text").stringValue()).isEqualTo("ERROR");

		JsonNode span = get("/loki/api/v1/trace/" + TRACE.toUpperCase(), "spanId", SPAN_A);
		assertThat(span.path("data").path("entries")).hasSize(1);
		assertThat(get("/loki/api/v1/trace/" + "1".repeat(32)).path("data").path("entries")).isEmpty();
		assertThat(store.trace(TRACE)).extracting(LogEntry::spanId).containsExactly(SPAN_A, SPAN_B);
	}

	@Test
	void tailWithoutAWebSocketUpgradeSaysHowToConnect() {
		ApiResponse response = api.handle("/loki/api/v1/tail", params("query", "{service_name=\"orders\"}"));
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.body()).contains("WebSocket");
	}

	@Test
	void grafanaHealthCheck() {
		JsonNode response = get("/loki/api/v1/query", "query", "vector(1)+vector(1)");
		assertThat(response.path("data").path("result").get(0).path("value").get(1).stringValue()).isEqualTo("2");
	}

	// ---- shapes against the documented examples ---------------------------------------------------------------

	@Test
	void responsesHaveLokisDocumentedShapes() throws Exception {
		assertShape("query_range_streams.json", range("{service_name=\"orders\"}"));
		assertShape("query_range_matrix.json",
				range("sum by (level) (count_over_time({service_name=\"orders\"}[1m]))", "step", "15"));
		assertShape("query_vector.json", get("/loki/api/v1/query", "query",
				"sum by (level) (count_over_time({service_name=\"orders\"}[5m]))", "time", Logs.seconds(NOW)));
		assertShape("labels.json", get("/loki/api/v1/labels"));
		assertShape("labels.json", get("/loki/api/v1/label/level/values"));
		assertShape("series.json", get("/loki/api/v1/series", "match[]", "{service_name=~\".+\"}"));
		ApiResponse error = api.handle("/loki/api/v1/query_range", params("query", "{service_name=\"orders\"} | line_format \"x\""));
		assertThat(error.status()).isEqualTo(400);
		assertShape("error.json", JSON.readTree(error.body()));
	}

	static void assertShape(String fixture, JsonNode actual) throws Exception {
		try (var in = LokiApiTest.class.getResourceAsStream("/loki/" + fixture)) {
			JsonNode expected = JSON.readTree(in);
			compare(fixture + ":$", expected, actual);
		}
	}

	/**
	 * Same structure: node types, object keys (label maps "stream"/"metric" and "stats" are open), and every array
	 * element shaped like the fixture's first element.
	 */
	static void compare(String where, JsonNode expected, JsonNode actual) {
		assertThat(actual.getNodeType()).as(where + " type").isEqualTo(expected.getNodeType());
		if (expected.isObject()) {
			String key = where.substring(where.lastIndexOf('.') + 1);
			if (key.equals("stream") || key.equals("metric") || where.endsWith("data[]")) {
				actual.properties().forEach(p -> assertThat(p.getValue().isString()).as(where + "." + p.getKey()).isTrue());
				return;
			}
			if (key.equals("stats")) {
				return;
			}
			assertThat(names(actual)).as(where + " keys").isEqualTo(names(expected));
			expected.properties().forEach(p -> compare(where + "." + p.getKey(), p.getValue(), actual.get(p.getKey())));
		}
		else if (expected.isArray() && !expected.isEmpty()) {
			assertThat(actual.isEmpty()).as(where + " is empty").isFalse();
			boolean tuple = expected.get(0).isValueNode();
			for (int i = 0; i < actual.size(); i++) {
				compare(where + "[]", tuple && i < expected.size() ? expected.get(i) : expected.get(0), actual.get(i));
			}
		}
	}

	static java.util.Set<String> names(JsonNode node) {
		java.util.Set<String> names = new java.util.TreeSet<>();
		node.properties().forEach(p -> names.add(p.getKey()));
		return names;
	}

}
