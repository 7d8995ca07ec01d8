package dev.vigil.telemetry.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.telemetry.promql.Engine;
import dev.vigil.telemetry.promql.EngineConfig;
import dev.vigil.telemetry.tsdb.Labels;
import dev.vigil.telemetry.tsdb.Storage;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PrometheusApiTest {

	private final Storage storage = Storage.inMemory();

	private final PrometheusApi api = new PrometheusApi(storage, new Engine(storage), () -> 1_000_000L, "0.1.0");

	PrometheusApiTest() {
		for (int i = 0; i <= 10; i++) {
			storage.append(Labels.of("__name__", "up", "job", "api", "instance", "a:1"), 1_000_000L + i * 15_000L, 1);
		}
	}

	private static Map<String, List<String>> params(String... kv) {
		java.util.Map<String, List<String>> m = new java.util.LinkedHashMap<>();
		for (int i = 0; i < kv.length; i += 2) {
			m.computeIfAbsent(kv[i], k -> new java.util.ArrayList<>()).add(kv[i + 1]);
		}
		return m;
	}

	@Test
	void shouldAnswerInstantQueryInPrometheusShape() {
		ApiResponse r = api.handle("/api/v1/query", params("query", "up", "time", "1000.5"));
		assertThat(r.status()).isEqualTo(200);
		assertThat(r.body()).isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
				+ "{\"metric\":{\"__name__\":\"up\",\"instance\":\"a:1\",\"job\":\"api\"},\"value\":[1000.5,\"1\"]}]}}");
	}

	@Test
	void shouldAnswerScalarAndRangeQueries() {
		assertThat(api.handle("/api/v1/query", params("query", "1/0", "time", "2024-01-01T00:00:00Z")).body())
			.isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1704067200,\"+Inf\"]}}");
		ApiResponse r = api.handle("/api/v1/query_range",
				params("query", "sum(up)", "start", "1000", "end", "1030", "step", "15s"));
		assertThat(r.body()).isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
				+ "{\"metric\":{},\"values\":[[1000,\"1\"],[1015,\"1\"],[1030,\"1\"]]}]}}");
	}

	@Test
	void shouldRejectBadQueriesWithBadData() {
		ApiResponse r = api.handle("/api/v1/query", params("query", "sum(up"));
		assertThat(r.status()).isEqualTo(400);
		assertThat(r.body()).isEqualTo("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":"
				+ "\"invalid parameter \\\"query\\\": 1:7: parse error: unclosed left parenthesis\"}");
		assertThat(api.handle("/api/v1/query_range", params("query", "up", "start", "10", "end", "5", "step", "1"))
			.status()).isEqualTo(400);
		assertThat(api.handle("/api/v1/query", params("query", "up", "time", "yesterday")).body())
			.contains("invalid parameter \\\"time\\\": cannot parse \\\"yesterday\\\" to a valid timestamp");
	}

	@Test
	void shouldMapExecutionAndTimeoutErrors() {
		PrometheusApi limited = new PrometheusApi(storage,
				new Engine(storage, new EngineConfig(Duration.ofSeconds(30), 1, null, null)), () -> 1_000_000L, "x");
		ApiResponse r = limited.handle("/api/v1/query_range",
				params("query", "up", "start", "1000", "end", "1100", "step", "1"));
		assertThat(r.status()).isEqualTo(422);
		assertThat(r.body()).contains("\"errorType\":\"execution\"");
		ApiResponse t = api.handle("/api/v1/query_range",
				params("query", "up", "start", "1000", "end", "1100", "step", "1", "timeout", "-1"));
		assertThat(t.status()).isEqualTo(503);
		assertThat(t.body()).contains("\"errorType\":\"timeout\"");
	}

	@Test
	void shouldListSeriesLabelsAndValues() {
		assertThat(api.handle("/api/v1/series", params("match[]", "up{job=\"api\"}")).body())
			.isEqualTo("{\"status\":\"success\",\"data\":[{\"__name__\":\"up\",\"instance\":\"a:1\",\"job\":\"api\"}]}");
		assertThat(api.handle("/api/v1/series", params()).status()).isEqualTo(400);
		assertThat(api.handle("/api/v1/labels", params()).body())
			.isEqualTo("{\"status\":\"success\",\"data\":[\"__name__\",\"instance\",\"job\"]}");
		assertThat(api.handle("/api/v1/label/job/values", params()).body())
			.isEqualTo("{\"status\":\"success\",\"data\":[\"api\"]}");
		assertThat(api.handle("/api/v1/metadata", params()).body()).isEqualTo("{\"status\":\"success\",\"data\":{}}");
		assertThat(api.handle("/api/v1/status/buildinfo", params()).body()).contains("\"version\":\"0.1.0\"");
		assertThat(api.handle("/api/v1/nope", params()).status()).isEqualTo(404);
	}

}
