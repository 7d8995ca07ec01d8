package dev.vigil.telemetry.logs;

import dev.vigil.telemetry.api.ApiResponse;
import dev.vigil.telemetry.logs.LogQLExpr.LogSelector;
import dev.vigil.telemetry.traces.QueryParams;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * The Loki HTTP API subset (https://grafana.com/docs/loki/latest/reference/loki-http-api/) in Loki's JSON shapes:
 * query_range, query, labels, label values, series, plus the Vigil extension {@code /loki/api/v1/trace/<traceId>}.
 * Errors are 400 {@code {"status":"error","errorType":"bad_data","error":"..."}}.
 */
public final class LokiApi {

	private static final String PREFIX = "/loki/api/v1/";

	private static final long HOUR = 3600L * 1_000_000_000L;

	private final LogStore store;

	private final LogQueryEngine engine;

	private final QueryLimits limits;

	private final LongSupplier clockNanos;

	public LokiApi(LogStore store) {
		this(store, QueryLimits.defaults(), () -> System.currentTimeMillis() * 1_000_000L);
	}

	LokiApi(LogStore store, QueryLimits limits, LongSupplier clockNanos) {
		this.store = store;
		this.limits = limits;
		this.engine = new LogQueryEngine(store, limits);
		this.clockNanos = clockNanos;
	}

	/** Answers a GET (or form POST) under /loki/api/v1/; {@code params} are the decoded query parameters. */
	public ApiResponse handle(String path, Map<String, List<String>> rawParams) {
		QueryParams params = new QueryParams(rawParams);
		try {
			if (!path.startsWith(PREFIX)) {
				return error(404, "not_found", "unknown endpoint " + path);
			}
			store.evictExpired();
			String endpoint = path.substring(PREFIX.length());
			if (endpoint.startsWith("label/") && endpoint.endsWith("/values")) {
				return labelValues(endpoint.substring("label/".length(), endpoint.length() - "/values".length()), params);
			}
			if (endpoint.startsWith("trace/")) {
				return trace(endpoint.substring("trace/".length()), params);
			}
			return switch (endpoint) {
				case "query_range" -> queryRange(params);
				case "query" -> query(params);
				case "labels", "label" -> labels(params);
				case "series" -> series(params, rawParams);
				case "index/stats" -> indexStats(params);
				case "tail" -> error(400, "bad_data", "live tail is a WebSocket: connect with an Upgrade: websocket "
						+ "request (ws://.../loki/api/v1/tail?query=...), or poll query_range with direction=forward");
				case "status/buildinfo" -> new ApiResponse(200, "{\"version\":\"3.0.0\",\"revision\":\"vigil-telemetry\","
						+ "\"branch\":\"\",\"buildUser\":\"\",\"buildDate\":\"\",\"goVersion\":\"\"}");
				default -> error(404, "not_found", "unknown endpoint " + path);
			};
		}
		catch (IllegalArgumentException | LogQLException ex) {
			return error(400, "bad_data", ex.getMessage());
		}
	}

	// ---- queries ----------------------------------------------------------------------------------------------

	private ApiResponse queryRange(QueryParams params) {
		String query = required(params, "query");
		long now = clockNanos.getAsLong();
		long end = params.timeNanos("end", now);
		// Loki: start defaults to an hour before end, or `since` (a duration) before it
		long start = params.timeNanos("start", end - params.durationNanos("since", HOUR));
		checkRange(start, end);
		int limit = params.limit("limit", 100, limits.maxLimit());
		boolean backward = backward(params);
		LogQLExpr expr = LogQLParser.parse(query);
		if (expr instanceof LogSelector selector) {
			// Loki treats the end of a log query as exclusive
			return streams(engine.selectLogs(selector, start, end, limit, backward));
		}
		long step = step(params, start, end);
		long count = (end - start) / step + 1;
		if (count > limits.maxPointsPerSeries()) {
			throw new IllegalArgumentException("exceeded maximum resolution of " + limits.maxPointsPerSeries()
					+ " points per timeseries. Try decreasing the query resolution (?step=XX)");
		}
		LogQueryEngine.Steps steps = new LogQueryEngine.Steps(start, step, (int) count);
		return matrix(engine.evalMetric(expr, steps), steps);
	}

	private ApiResponse query(QueryParams params) {
		String query = required(params, "query");
		long time = params.timeNanos("time", clockNanos.getAsLong());
		int limit = params.limit("limit", 100, limits.maxLimit());
		boolean backward = backward(params);
		if (query.replaceAll("\\s+", "").equals("vector(1)+vector(1)")) {
			// Grafana's Loki datasource health check
			return new ApiResponse(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{"
					+ "\"metric\":{},\"value\":[" + JsonOut.seconds(time) + ",\"2\"]}],\"stats\":{}}}");
		}
		LogQLExpr expr = LogQLParser.parse(query);
		if (expr instanceof LogSelector selector) {
			// an instant log query looks back an hour from `time`, inclusive
			return streams(engine.selectLogs(selector, time - HOUR, time + 1, limit, backward));
		}
		LogQueryEngine.Steps steps = new LogQueryEngine.Steps(time, 1, 1);
		StringBuilder out = new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[");
		boolean first = true;
		for (LogQueryEngine.Series series : engine.evalMetric(expr, steps)) {
			out.append(first ? "" : ",").append("{\"metric\":");
			first = false;
			JsonOut.labels(out, series.labels());
			out.append(",\"value\":[").append(JsonOut.seconds(time)).append(",\"")
				.append(JsonOut.value(series.values()[0])).append("\"]}");
		}
		out.append("],\"stats\":{}}}");
		return new ApiResponse(200, out.toString());
	}

	private static ApiResponse streams(List<LogQueryEngine.StreamResult> result) {
		StringBuilder out = new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"streams\",\"result\":[");
		int entries = 0;
		for (int s = 0; s < result.size(); s++) {
			LogQueryEngine.StreamResult stream = result.get(s);
			out.append(s == 0 ? "" : ",").append("{\"stream\":");
			JsonOut.labels(out, stream.labels());
			out.append(",\"values\":[");
			for (int i = 0; i < stream.lines().size(); i++) {
				LogQueryEngine.Line line = stream.lines().get(i);
				out.append(i == 0 ? "" : ",").append("[\"").append(line.timeNanos()).append("\",");
				JsonOut.string(out, line.line());
				out.append(']');
				entries++;
			}
			out.append("]}");
		}
		out.append("],\"stats\":{\"summary\":{\"totalEntriesReturned\":").append(entries).append("}}}}");
		return new ApiResponse(200, out.toString());
	}

	private static ApiResponse matrix(List<LogQueryEngine.Series> result, LogQueryEngine.Steps steps) {
		StringBuilder out = new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
		for (int s = 0; s < result.size(); s++) {
			LogQueryEngine.Series series = result.get(s);
			out.append(s == 0 ? "" : ",").append("{\"metric\":");
			JsonOut.labels(out, series.labels());
			out.append(",\"values\":[");
			boolean first = true;
			for (int i = 0; i < steps.count(); i++) {
				if (series.present()[i]) {
					out.append(first ? "" : ",").append('[').append(JsonOut.seconds(steps.at(i))).append(",\"")
						.append(JsonOut.value(series.values()[i])).append("\"]");
					first = false;
				}
			}
			out.append("]}");
		}
		out.append("],\"stats\":{}}}");
		return new ApiResponse(200, out.toString());
	}

	// ---- metadata ---------------------------------------------------------------------------------------------

	private ApiResponse labels(QueryParams params) {
		long[] range = metadataRange(params);
		TreeSet<String> names = new TreeSet<>();
		store.read(() -> {
			for (StreamEntry stream : store.streams()) {
				if (inRange(stream, range)) {
					names.addAll(stream.labels.keySet());
				}
			}
			return null;
		});
		return stringList(names);
	}

	private ApiResponse labelValues(String name, QueryParams params) {
		long[] range = metadataRange(params);
		String query = params.get("query");
		LogSelector selector = query == null || query.isBlank() ? null : LogQLParser.parseSelector(query);
		TreeSet<String> values = new TreeSet<>();
		store.read(() -> {
			for (StreamEntry stream : store.streams()) {
				String value = stream.labels.get(name);
				if (value != null && inRange(stream, range) && (selector == null || matches(selector, stream))) {
					values.add(value);
				}
			}
			return null;
		});
		return stringList(values);
	}

	private ApiResponse series(QueryParams params, Map<String, List<String>> rawParams) {
		long[] range = metadataRange(params);
		List<String> matches = new ArrayList<>();
		if (rawParams != null) {
			matches.addAll(rawParams.getOrDefault("match[]", List.of()));
			matches.addAll(rawParams.getOrDefault("match", List.of()));
		}
		List<LogSelector> selectors = matches.stream().filter(m -> !m.isBlank()).map(LogQLParser::parseSelector).toList();
		Set<Map<String, String>> found = new LinkedHashSet<>();
		store.read(() -> {
			for (StreamEntry stream : store.streams()) {
				if (inRange(stream, range)
						&& (selectors.isEmpty() || selectors.stream().anyMatch(s -> matches(s, stream)))) {
					found.add(stream.labels);
				}
			}
			return null;
		});
		StringBuilder out = new StringBuilder("{\"status\":\"success\",\"data\":[");
		boolean first = true;
		for (Map<String, String> labels : found.stream().sorted(java.util.Comparator.comparing(Object::toString)).toList()) {
			out.append(first ? "" : ",");
			first = false;
			JsonOut.labels(out, labels);
		}
		return new ApiResponse(200, out.append("]}").toString());
	}

	/** What Grafana asks before a query: how much it would read. */
	private ApiResponse indexStats(QueryParams params) {
		long[] range = metadataRange(params);
		long[] stats = engine.indexStats(LogQLParser.parseSelector(required(params, "query")), range[0], range[1]);
		return new ApiResponse(200, "{\"streams\":" + stats[0] + ",\"chunks\":" + stats[1] + ",\"bytes\":" + stats[2]
				+ ",\"entries\":" + stats[3] + "}");
	}

	/** Loki's metadata endpoints default to the last 6 hours. */
	private long[] metadataRange(QueryParams params) {
		long end = params.timeNanos("end", clockNanos.getAsLong());
		long start = params.timeNanos("start", end - 6 * HOUR);
		checkRange(start, end);
		return new long[] { start, end };
	}

	private static boolean inRange(StreamEntry stream, long[] range) {
		return stream.maxTime >= range[0] && stream.minTime <= range[1];
	}

	private static boolean matches(LogSelector selector, StreamEntry stream) {
		return selector.matchers().stream().allMatch(m -> m.matches(stream.labels.get(m.name())));
	}

	private static ApiResponse stringList(Set<String> values) {
		StringBuilder out = new StringBuilder("{\"status\":\"success\",\"data\":[");
		boolean first = true;
		for (String value : values) {
			out.append(first ? "" : ",");
			first = false;
			JsonOut.string(out, value);
		}
		return new ApiResponse(200, out.append("]}").toString());
	}

	// ---- Vigil extension: logs of a trace ---------------------------------------------------------------------

	/**
	 * {@code /loki/api/v1/trace/<traceId>[?spanId=<16 hex>&limit=N]}: the trace's lines found by index, oldest
	 * first (newest last); with more than {@code limit} lines, the newest {@code limit}.
	 */
	private ApiResponse trace(String traceId, QueryParams params) {
		String spanId = params.get("spanId");
		int limit = params.limit("limit", 1_000, limits.maxLimit());
		List<LogEntry> entries = store.span(traceId, spanId == null || spanId.isBlank() ? null : spanId.toLowerCase(Locale.ROOT));
		if (entries.size() > limit) {
			entries = entries.subList(entries.size() - limit, entries.size());
		}
		StringBuilder out = new StringBuilder("{\"status\":\"success\",\"data\":{\"traceId\":\"")
			.append(dev.vigil.telemetry.traces.Hex.normalizeTraceId(traceId)).append("\",\"entries\":[");
		for (int i = 0; i < entries.size(); i++) {
			LogEntry entry = entries.get(i);
			out.append(i == 0 ? "" : ",").append("{\"timestamp\":\"").append(entry.timeNanos()).append("\",\"line\":");
			JsonOut.string(out, entry.line());
			out.append(",\"spanId\":\"").append(entry.spanId()).append("\",\"severityNumber\":")
				.append(entry.severityNumber()).append(",\"stream\":");
			JsonOut.labels(out, entry.labels());
			out.append(",\"metadata\":");
			JsonOut.labels(out, entry.metadata());
			out.append('}');
		}
		return new ApiResponse(200, out.append("]}}").toString());
	}

	// ---- parameters -------------------------------------------------------------------------------------------

	private static String required(QueryParams params, String name) {
		String value = params.get(name);
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException("missing parameter \"" + name + "\"");
		}
		return value;
	}

	private void checkRange(long start, long end) {
		if (end < start) {
			throw new IllegalArgumentException("end timestamp must not be before start time");
		}
		if (end - start > limits.maxQueryLengthNanos()) {
			throw new IllegalArgumentException("the query time range exceeds the limit (query length: "
					+ hours(end - start) + ", limit: " + hours(limits.maxQueryLengthNanos()) + ")");
		}
	}

	private static String hours(long nanos) {
		return (nanos / HOUR) + "h" + (nanos % HOUR) / 60_000_000_000L + "m";
	}

	private static boolean backward(QueryParams params) {
		String direction = params.get("direction");
		if (direction == null || direction.isBlank() || direction.equalsIgnoreCase("backward")) {
			return true;
		}
		if (direction.equalsIgnoreCase("forward")) {
			return false;
		}
		throw new IllegalArgumentException("direction must be backward or forward, not \"" + direction + "\"");
	}

	/** {@code step} as a duration ("15s") or float seconds ("15"); Loki's default is (end − start) / 250, ≥ 1 s. */
	private static long step(QueryParams params, long start, long end) {
		String text = params.get("step");
		long step;
		if (text == null || text.isBlank()) {
			step = Math.max((end - start) / 250 / 1_000_000_000L, 1) * 1_000_000_000L;
		}
		else {
			try {
				step = (long) (Double.parseDouble(text.trim()) * 1e9);
			}
			catch (NumberFormatException notSeconds) {
				step = QueryParams.parseGoDuration(text.trim(), "step");
			}
		}
		if (step <= 0) {
			throw new IllegalArgumentException(
					"zero or negative query resolution step widths are not accepted. Try a positive integer");
		}
		return step;
	}

	private static ApiResponse error(int status, String type, String message) {
		StringBuilder out = new StringBuilder("{\"status\":\"error\",\"errorType\":\"").append(type).append("\",\"error\":");
		JsonOut.string(out, message == null ? "internal error" : message);
		return new ApiResponse(status, out.append('}').toString());
	}

}
