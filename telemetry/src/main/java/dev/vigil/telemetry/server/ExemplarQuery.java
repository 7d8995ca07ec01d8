package dev.vigil.telemetry.server;

import dev.vigil.telemetry.otlp.Exemplar;
import dev.vigil.telemetry.otlp.ExemplarStore;
import dev.vigil.telemetry.tsdb.Labels;
import dev.vigil.telemetry.tsdb.Matcher;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /api/v1/query_exemplars}: exemplars of the series selected by the query's vector selectors. Selectors are
 * extracted textually ({@code name{label op "value", ...}}), which covers what Grafana sends; functions and operators
 * around them are ignored, as Prometheus does.
 */
final class ExemplarQuery {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Pattern SELECTOR = Pattern.compile(
			"([a-zA-Z_:][a-zA-Z0-9_:]*)?\\s*\\{((?:[^}\"]|\"(?:[^\"\\\\]|\\\\.)*\")*)\\}|([a-zA-Z_:][a-zA-Z0-9_:]*)");

	private static final Pattern MATCHER = Pattern.compile(
			"\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*,?");

	private static final List<String> KEYWORDS = List.of("sum", "rate", "irate", "increase", "histogram_quantile",
			"by", "without", "avg", "max", "min", "count", "on", "ignoring", "group_left", "group_right", "and", "or",
			"unless", "offset", "bool", "topk", "bottomk", "quantile", "le");

	private final ExemplarStore store;

	ExemplarQuery(ExemplarStore store) {
		this.store = store;
	}

	ApiHandler.Response handle(Map<String, List<String>> params) {
		String query = first(params, "query");
		if (query.isEmpty()) {
			return ApiHandler.Response.json(400, HttpFrontend.error("bad_data", "invalid parameter \"query\": missing"));
		}
		long start;
		long end;
		try {
			start = time(first(params, "start"), Long.MIN_VALUE);
			end = time(first(params, "end"), Long.MAX_VALUE);
		}
		catch (NumberFormatException e) {
			return ApiHandler.Response.json(400,
					HttpFrontend.error("bad_data", "invalid parameter \"start\"/\"end\": " + e.getMessage()));
		}
		List<Object> data = new ArrayList<>();
		// strip strings in parentheses-free positions would be complex; selectors are matched directly
		String withoutRanges = query.replaceAll("\\[[^\\]]*\\]", "");
		java.util.regex.Matcher m = SELECTOR.matcher(withoutRanges);
		while (m.find()) {
			List<Matcher> matchers = new ArrayList<>();
			String name = m.group(1) != null ? m.group(1) : m.group(3);
			if (m.group(3) != null) {
				int after = m.end();
				while (after < withoutRanges.length() && withoutRanges.charAt(after) == ' ') {
					after++;
				}
				if (KEYWORDS.contains(name) || (after < withoutRanges.length() && withoutRanges.charAt(after) == '(')) {
					continue;
				}
			}
			if (name != null) {
				matchers.add(Matcher.equal(Labels.METRIC_NAME, name));
			}
			if (m.group(2) != null) {
				java.util.regex.Matcher lm = MATCHER.matcher(m.group(2));
				while (lm.find()) {
					Matcher.Type type = switch (lm.group(2)) {
						case "=~" -> Matcher.Type.REGEX;
						case "!~" -> Matcher.Type.NOT_REGEX;
						case "!=" -> Matcher.Type.NOT_EQUAL;
						default -> Matcher.Type.EQUAL;
					};
					matchers.add(Matcher.of(type, lm.group(1), lm.group(3).replace("\\\"", "\"")));
				}
			}
			if (matchers.isEmpty()) {
				continue;
			}
			store.select(start, end, matchers).forEach((labels, exemplars) -> {
				Map<String, Object> s = new LinkedHashMap<>();
				s.put("seriesLabels", labels.toMap());
				List<Object> es = new ArrayList<>();
				for (Exemplar e : exemplars) {
					Map<String, Object> ej = new LinkedHashMap<>();
					ej.put("labels", e.labels().toMap());
					ej.put("value", format(e.value()));
					ej.put("timestamp", e.timestampMillis() / 1000.0);
					es.add(ej);
				}
				s.put("exemplars", es);
				data.add(s);
			});
		}
		return ApiHandler.Response.json(200, JSON.writeValueAsString(success(data)));
	}

	private static String format(double v) {
		if (Double.isNaN(v)) {
			return "NaN";
		}
		if (Double.isInfinite(v)) {
			return v > 0 ? "+Inf" : "-Inf";
		}
		return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
	}

	private static long time(String s, long dflt) {
		if (s.isEmpty()) {
			return dflt;
		}
		if (s.contains("T")) {
			return java.time.OffsetDateTime.parse(s).toInstant().toEpochMilli();
		}
		return new BigDecimal(s).movePointRight(3).longValue();
	}

	private static String first(Map<String, List<String>> params, String name) {
		List<String> v = params.get(name);
		return v == null || v.isEmpty() ? "" : v.get(0);
	}


	private static Map<String, Object> success(Object data) {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("status", "success");
		m.put("data", data);
		return m;
	}

}
