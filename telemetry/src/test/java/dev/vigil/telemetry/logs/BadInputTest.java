package dev.vigil.telemetry.logs;

import static dev.vigil.telemetry.logs.Logs.NOW;
import static dev.vigil.telemetry.logs.Logs.SECOND;
import static dev.vigil.telemetry.logs.Logs.params;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.telemetry.api.ApiResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class BadInputTest {

	LogStore store;

	LokiApi api;

	@BeforeEach
	void ingest() {
		store = new LogStore(LogStore.Config.defaults(), () -> NOW);
		api = new LokiApi(store, QueryLimits.defaults(), () -> NOW);
		String longLine = "a".repeat(100_000) + "!";
		store.append(List.of(Logs.service("orders", "production",
				Logs.record(NOW - SECOND, "INFO", longLine).build(),
				Logs.record(NOW - 2 * SECOND, "INFO", "short line").build())));
	}

	JsonNode badRequest(String path, String... params) {
		ApiResponse response = api.handle(path, params(params));
		assertThat(response.status()).as(response.body()).isEqualTo(400);
		JsonNode body = LokiApiTest.JSON.readTree(response.body());
		assertThat(body.path("status").stringValue()).isEqualTo("error");
		assertThat(body.path("errorType").stringValue()).isEqualTo("bad_data");
		return body;
	}

	@Test
	void malformedTraceIds() {
		assertThat(badRequest("/loki/api/v1/trace/not-hex").path("error").stringValue()).contains("not 1 to 32 hex digits");
		badRequest("/loki/api/v1/trace/" + "a".repeat(33));
		assertThat(badRequest("/loki/api/v1/trace/abc", "spanId", "xyz").path("error").stringValue())
			.contains("span id \"xyz\" is not 16 hex digits");
	}

	@Test
	void absurdTimeRanges() {
		assertThat(badRequest("/loki/api/v1/query_range", "query", "{service_name=\"orders\"}", "start",
				Logs.seconds(NOW), "end", Logs.seconds(NOW - 60 * SECOND)).path("error").stringValue())
			.isEqualTo("end timestamp must not be before start time");
		assertThat(badRequest("/loki/api/v1/query_range", "query", "{service_name=\"orders\"}", "start",
				Logs.seconds(NOW - 31L * 86400 * SECOND), "end", Logs.seconds(NOW)).path("error").stringValue())
			.contains("the query time range exceeds the limit (query length: 744h0m, limit: 720h0m)");
		badRequest("/loki/api/v1/query_range", "query", "{service_name=\"orders\"}", "start", "yesterday");
		badRequest("/loki/api/v1/labels", "start", Logs.seconds(NOW), "end", "0");
		assertThat(badRequest("/loki/api/v1/query_range", "query", "count_over_time({service_name=\"orders\"}[1m])",
				"start", Logs.seconds(NOW - 86400 * SECOND), "end", Logs.seconds(NOW), "step", "1").path("error")
			.stringValue()).contains("exceeded maximum resolution of 11000 points");
		badRequest("/loki/api/v1/query_range", "query", "count_over_time({service_name=\"orders\"}[1m])", "step", "0");
	}

	@Test
	void hugeLimitsAndBadParameters() {
		assertThat(badRequest("/loki/api/v1/query_range", "query", "{service_name=\"orders\"}", "limit", "1000000000")
			.path("error").stringValue()).contains("limit must be a whole number from 1 to 5000");
		badRequest("/loki/api/v1/query_range", "query", "{service_name=\"orders\"}", "limit", "-1");
		badRequest("/loki/api/v1/query_range", "query", "{service_name=\"orders\"}", "direction", "sideways");
		badRequest("/loki/api/v1/query_range");
		badRequest("/loki/api/v1/series", "match[]", "{service_name=\"orders\"} |= \"x\"");
	}

	@Test
	void regexBombRunsInLinearTime() {
		// (a+)+$ backtracks exponentially in java.util.regex on "aaa…a!"; RE2 is linear (and correct: no match)
		JsonNode response = LokiApiTest.JSON.readTree(api.handle("/loki/api/v1/query_range",
				params("query", "{service_name=\"orders\"} |~ \"(a+)+$\"")).body());
		assertThat(response.path("status").stringValue()).isEqualTo("success");
		assertThat(LokiApiTest.newestFirst(response)).isEmpty();
		JsonNode negated = LokiApiTest.JSON.readTree(api.handle("/loki/api/v1/query_range",
				params("query", "{service_name=\"orders\"} !~ \"(a+)+$\"")).body());
		assertThat(LokiApiTest.newestFirst(negated)).hasSize(2);
		JsonNode matching = LokiApiTest.JSON.readTree(api.handle("/loki/api/v1/query_range",
				params("query", "{service_name=\"orders\"} |~ \"^(a+)+!$\"")).body());
		assertThat(LokiApiTest.newestFirst(matching)).hasSize(1);
		JsonNode selector = LokiApiTest.JSON.readTree(api.handle("/loki/api/v1/query_range",
				params("query", "{service_name=~\"(o+)+rders\"} !~ \"(a|aa)+$\"")).body());
		assertThat(LokiApiTest.newestFirst(selector)).hasSize(2);
		assertThat(badRequest("/loki/api/v1/query_range", "query", "{service_name=\"orders\"} |~ \"(a\\\\1)\"")
			.path("error").stringValue()).contains("invalid regular expression").contains("RE2");
	}

	@Test
	void boundedWorkPerQuery() {
		LokiApi tight = new LokiApi(store, new QueryLimits(1, 500, 11_000, 30L * 86400 * SECOND, 5_000), () -> NOW);
		ApiResponse response = tight.handle("/loki/api/v1/query_range", params("query", "{service_name=\"orders\"}"));
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.body()).contains("would process more than 1 log lines");

		for (int i = 0; i < 10; i++) {
			store.append(List.of(Logs.service("svc" + i, null, Logs.record(NOW - SECOND, "INFO", "x").build())));
		}
		LokiApi fewSeries = new LokiApi(store, new QueryLimits(1_000, 5, 11_000, 30L * 86400 * SECOND, 5_000), () -> NOW);
		ApiResponse series = fewSeries.handle("/loki/api/v1/query",
				params("query", "count_over_time({job=~\".+\"}[5m])", "time", Logs.seconds(NOW)));
		assertThat(series.status()).isEqualTo(400);
		assertThat(series.body()).contains("maximum of series (5) reached");
		assertThat(fewSeries.handle("/loki/api/v1/query",
				params("query", "sum(count_over_time({job=~\".+\"}[5m]))", "time", Logs.seconds(NOW))).status())
			.isEqualTo(200);
	}

	@Test
	void unknownEndpoints() {
		assertThat(api.handle("/loki/api/v1/nope", params()).status()).isEqualTo(404);
		assertThat(api.handle("/api/v1/query", params()).status()).isEqualTo(404);
	}

}
