package dev.vigil.telemetry.api;

import dev.vigil.telemetry.promql.Engine;
import dev.vigil.telemetry.promql.Num;
import dev.vigil.telemetry.promql.PromQLException;
import dev.vigil.telemetry.promql.QueryResult;
import dev.vigil.telemetry.promql.Value;
import dev.vigil.telemetry.tsdb.Labels;
import dev.vigil.telemetry.tsdb.Matcher;
import dev.vigil.telemetry.tsdb.Storage;

import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * Prometheus HTTP API query endpoints as plain functions: {@code /api/v1/query}, {@code query_range},
 * {@code series}, {@code labels}, {@code label/<name>/values}, {@code metadata}, {@code status/buildinfo}. Responses
 * have Prometheus's JSON shapes and error types (bad_data 400, execution 422, timeout 503, not_found 404).
 *
 * <p>Thread-safe. The HTTP layer passes the path (with or without a leading {@code /}) and the merged query/form
 * parameters.
 */
public final class PrometheusApi {

	/** Prometheus refuses range queries with more points per series than this. */
	static final long MAX_POINTS = 11_000;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Storage storage;
	private final Engine engine;
	private final LongSupplier clock;
	private final String version;

	/** An API over the given storage and engine, using the wall clock for defaults such as {@code time=now}. */
	public PrometheusApi(Storage storage, Engine engine) {
		this(storage, engine, System::currentTimeMillis, "0.1.0");
	}

	/**
	 * @param clock current time in ms, for parameters that default to "now"
	 * @param version reported by {@code /api/v1/status/buildinfo}
	 */
	public PrometheusApi(Storage storage, Engine engine, LongSupplier clock, String version) {
		this.storage = storage;
		this.engine = engine;
		this.clock = clock;
		this.version = version;
	}

	/**
	 * Handles one request.
	 * @param path e.g. {@code /api/v1/query} or {@code /api/v1/label/job/values}
	 * @param params query and form parameters; repeated keys such as {@code match[]} keep every value
	 */
	public ApiResponse handle(String path, Map<String, List<String>> params) {
		ApiParams p = new ApiParams(params);
		String route = path.startsWith("/") ? path : "/" + path;
		try {
			if (route.equals("/api/v1/query")) {
				return query(p);
			}
			if (route.equals("/api/v1/query_range")) {
				return queryRange(p);
			}
			if (route.equals("/api/v1/series")) {
				return series(p);
			}
			if (route.equals("/api/v1/labels")) {
				return labels(p);
			}
			if (route.startsWith("/api/v1/label/") && route.endsWith("/values")) {
				String name = route.substring("/api/v1/label/".length(), route.length() - "/values".length());
				return labelValues(java.net.URLDecoder.decode(name, java.nio.charset.StandardCharsets.UTF_8), p);
			}
			if (route.equals("/api/v1/metadata")) {
				return success(g -> {
					g.writeStartObject();
					g.writeEndObject();
				}, List.of(), List.of());
			}
			if (route.equals("/api/v1/status/buildinfo")) {
				return success(g -> {
					g.writeStartObject();
					g.writeName("version");
					g.writeString(version);
					g.writeName("revision");
					g.writeString("");
					g.writeName("branch");
					g.writeString("");
					g.writeName("buildUser");
					g.writeString("vigil");
					g.writeName("buildDate");
					g.writeString("");
					g.writeName("goVersion");
					g.writeString("java" + System.getProperty("java.version"));
					g.writeEndObject();
				}, List.of(), List.of());
			}
			return error(new ApiError("not_found", 404, "unknown API endpoint " + route));
		}
		catch (ApiError e) {
			return error(e);
		}
		catch (PromQLException e) {
			return error(ApiError.of(e));
		}
	}

	private Duration timeout(ApiParams p) {
		Duration t = engine.config().timeout();
		if (p.get("timeout") != null) {
			Duration requested = Duration.ofMillis(p.duration("timeout"));
			if (requested.compareTo(t) < 0) {
				t = requested;
			}
		}
		return t;
	}

	private ApiResponse query(ApiParams p) {
		String q = p.get("query");
		long t = p.time("time", clock.getAsLong());
		Duration timeout = timeout(p);
		QueryResult r;
		try {
			r = engine.instantQuery(q == null ? "" : q, t, timeout);
		}
		catch (dev.vigil.telemetry.promql.ParseException e) {
			throw ApiError.invalidParam("query", e.getMessage());
		}
		return success(g -> writeValue(g, r.value()), r.warnings(), r.infos());
	}

	private ApiResponse queryRange(ApiParams p) {
		if (p.get("start") == null) {
			throw ApiError.invalidParam("start", "cannot parse \"\" to a valid timestamp");
		}
		long start = p.time("start", 0);
		if (p.get("end") == null) {
			throw ApiError.invalidParam("end", "cannot parse \"\" to a valid timestamp");
		}
		long end = p.time("end", 0);
		if (end < start) {
			throw ApiError.invalidParam("end", "end timestamp must not be before start time");
		}
		if (p.get("step") == null) {
			throw ApiError.invalidParam("step", "cannot parse \"\" to a valid duration");
		}
		long step = p.duration("step");
		if (step <= 0) {
			throw ApiError.invalidParam("step",
					"zero or negative query resolution step widths are not accepted. Try a positive integer");
		}
		if ((end - start) / step > MAX_POINTS) {
			throw ApiError.badData("exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the "
					+ "query resolution (?step=XX)");
		}
		String q = p.get("query");
		Duration timeout = timeout(p);
		QueryResult r;
		try {
			r = engine.rangeQuery(q == null ? "" : q, start, end, step, timeout);
		}
		catch (dev.vigil.telemetry.promql.ParseException e) {
			throw ApiError.invalidParam("query", e.getMessage());
		}
		return success(g -> writeValue(g, r.value()), r.warnings(), r.infos());
	}

	private List<List<Matcher>> matchers(ApiParams p) {
		List<List<Matcher>> out = new ArrayList<>();
		for (String m : p.all("match[]")) {
			try {
				out.add(Engine.parseSelector(m));
			}
			catch (PromQLException e) {
				throw ApiError.invalidParam("match[]", e.getMessage());
			}
		}
		return out;
	}

	private int limit(ApiParams p) {
		String l = p.get("limit");
		if (l == null || l.isEmpty()) {
			return 0;
		}
		try {
			int n = Integer.parseInt(l);
			if (n < 0) {
				throw new NumberFormatException();
			}
			return n;
		}
		catch (NumberFormatException e) {
			throw ApiError.invalidParam("limit", "cannot parse \"" + l + "\" to a valid limit");
		}
	}

	private ApiResponse series(ApiParams p) {
		List<List<Matcher>> ms = matchers(p);
		if (ms.isEmpty()) {
			throw ApiError.badData("no match[] parameter provided");
		}
		long start = p.time("start", ApiParams.MIN_TIME);
		long end = p.time("end", ApiParams.MAX_TIME);
		int limit = limit(p);
		List<Labels> series = storage.series(start, end, ms);
		List<String> warnings = new ArrayList<>();
		if (limit > 0 && series.size() > limit) {
			series = series.subList(0, limit);
			warnings.add("results truncated due to limit");
		}
		List<Labels> result = series;
		return success(g -> {
			g.writeStartArray();
			for (Labels l : result) {
				writeLabels(g, l);
			}
			g.writeEndArray();
		}, warnings, List.of());
	}

	private ApiResponse labels(ApiParams p) {
		List<List<Matcher>> ms = matchers(p);
		long start = p.time("start", ApiParams.MIN_TIME);
		long end = p.time("end", ApiParams.MAX_TIME);
		return stringList(storage.labelNames(start, end, ms), limit(p));
	}

	private ApiResponse labelValues(String name, ApiParams p) {
		if (name.isEmpty() || name.contains("\uFFFD")) {
			throw ApiError.badData("invalid label name: \"" + name + "\"");
		}
		List<List<Matcher>> ms = matchers(p);
		long start = p.time("start", ApiParams.MIN_TIME);
		long end = p.time("end", ApiParams.MAX_TIME);
		return stringList(storage.labelValues(name, start, end, ms), limit(p));
	}

	private ApiResponse stringList(List<String> values, int limit) {
		List<String> warnings = new ArrayList<>();
		if (limit > 0 && values.size() > limit) {
			values = values.subList(0, limit);
			warnings.add("results truncated due to limit");
		}
		List<String> result = values;
		return success(g -> {
			g.writeStartArray();
			for (String v : result) {
				g.writeString(v);
			}
			g.writeEndArray();
		}, warnings, List.of());
	}

	// ---- JSON

	private interface DataWriter {

		void write(JsonGenerator g);

	}

	private static ApiResponse success(DataWriter data, List<String> warnings, List<String> infos) {
		StringWriter w = new StringWriter();
		try (JsonGenerator g = JSON.createGenerator(w)) {
			g.writeStartObject();
			g.writeName("status");
			g.writeString("success");
			g.writeName("data");
			data.write(g);
			writeStrings(g, "warnings", warnings);
			writeStrings(g, "infos", infos);
			g.writeEndObject();
		}
		return new ApiResponse(200, w.toString());
	}

	private static void writeStrings(JsonGenerator g, String name, List<String> values) {
		if (values.isEmpty()) {
			return;
		}
		g.writeName(name);
		g.writeStartArray();
		for (String s : values) {
			g.writeString(s);
		}
		g.writeEndArray();
	}

	static ApiResponse error(ApiError e) {
		StringWriter w = new StringWriter();
		try (JsonGenerator g = JSON.createGenerator(w)) {
			g.writeStartObject();
			g.writeName("status");
			g.writeString("error");
			g.writeName("errorType");
			g.writeString(e.type);
			g.writeName("error");
			g.writeString(e.getMessage());
			g.writeEndObject();
		}
		return new ApiResponse(e.status, w.toString());
	}

	private static void writeValue(JsonGenerator g, Value v) {
		g.writeStartObject();
		g.writeName("resultType");
		g.writeString(v.resultType());
		g.writeName("result");
		if (v instanceof Value.Scalar s) {
			writePoint(g, s.timestamp(), Num.format(s.value()));
		}
		else if (v instanceof Value.StringValue s) {
			writePoint(g, s.timestamp(), s.value());
		}
		else if (v instanceof Value.Vector vec) {
			g.writeStartArray();
			for (Value.Sample s : vec.samples()) {
				g.writeStartObject();
				g.writeName("metric");
				writeLabels(g, s.metric());
				g.writeName("value");
				writePoint(g, s.timestamp(), Num.format(s.value()));
				g.writeEndObject();
			}
			g.writeEndArray();
		}
		else if (v instanceof Value.Matrix m) {
			g.writeStartArray();
			for (Value.Series s : m.series()) {
				g.writeStartObject();
				g.writeName("metric");
				writeLabels(g, s.metric());
				g.writeName("values");
				g.writeStartArray();
				for (int i = 0; i < s.timestamps().length; i++) {
					writePoint(g, s.timestamps()[i], Num.format(s.values()[i]));
				}
				g.writeEndArray();
				g.writeEndObject();
			}
			g.writeEndArray();
		}
		g.writeEndObject();
	}

	// [<unix seconds with ms decimals>, "<value>"]
	private static void writePoint(JsonGenerator g, long tMillis, String value) {
		g.writeStartArray();
		g.writeNumber(formatTimestamp(tMillis));
		g.writeString(value);
		g.writeEndArray();
	}

	static String formatTimestamp(long tMillis) {
		return new java.math.BigDecimal(tMillis).movePointLeft(3).stripTrailingZeros().toPlainString();
	}

	private static void writeLabels(JsonGenerator g, Labels l) {
		g.writeStartObject();
		for (int i = 0; i < l.size(); i++) {
			g.writeName(l.name(i));
			g.writeString(l.value(i));
		}
		g.writeEndObject();
	}

}
