package dev.vigil.telemetry.traces;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.vigil.telemetry.api.ApiResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Tempo HTTP API subset (https://grafana.com/docs/tempo/latest/api_docs/): trace by id, search (tags or TraceQL
 * subset), tag names and values, echo — in Tempo's JSON shapes, so Grafana's Tempo datasource works against it.
 */
public final class TempoApi {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final JsonFormat.Printer OTLP_JSON = JsonFormat.printer().omittingInsignificantWhitespace();

	private final TraceStore store;

	public TempoApi(TraceStore store) {
		this.store = store;
	}

	public ApiResponse handle(String path, Map<String, List<String>> rawParams) {
		QueryParams params = new QueryParams(rawParams);
		try {
			if (path.equals("/api/echo")) {
				return new ApiResponse(200, "\"echo\"");
			}
			if (path.startsWith("/api/traces/") || path.startsWith("/api/v2/traces/")) {
				return traceById(path.substring(path.lastIndexOf('/') + 1), path.startsWith("/api/v2/"));
			}
			if (path.equals("/api/search")) {
				return search(params);
			}
			if (path.equals("/api/search/tags") || path.equals("/api/v2/search/tags")) {
				return tags(path.startsWith("/api/v2/"));
			}
			if (path.startsWith("/api/search/tag/") || path.startsWith("/api/v2/search/tag/")) {
				String rest = path.substring(path.indexOf("/tag/") + "/tag/".length());
				if (!rest.endsWith("/values")) {
					return error(404, "unknown endpoint " + path);
				}
				return tagValues(rest.substring(0, rest.length() - "/values".length()), path.startsWith("/api/v2/"), params);
			}
			return error(404, "unknown endpoint " + path);
		}
		catch (IllegalArgumentException | TraceQLException ex) {
			return error(400, ex.getMessage());
		}
	}

	private ApiResponse traceById(String rawId, boolean v2) {
		String traceId = Hex.normalizeTraceId(rawId);
		var trace = store.trace(traceId);
		if (trace.isEmpty()) {
			return error(404, "trace not found");
		}
		// Regroup spans by the resource and scope they arrived with, as OTLP has them.
		Map<Object, Map<Object, ScopeSpans.Builder>> grouped = new LinkedHashMap<>();
		Map<Object, io.opentelemetry.proto.resource.v1.Resource> resources = new LinkedHashMap<>();
		for (StoredSpan span : trace.get()) {
			resources.putIfAbsent(span.resource(), span.resource());
			grouped.computeIfAbsent(span.resource(), key -> new LinkedHashMap<>())
				.computeIfAbsent(span.scope(), key -> ScopeSpans.newBuilder().setScope(span.scope()))
				.addSpans(span.span());
		}
		ArrayNode batches = JSON.createArrayNode();
		grouped.forEach((resource, scopes) -> {
			ResourceSpans.Builder builder = ResourceSpans.newBuilder().setResource(resources.get(resource));
			scopes.values().forEach(builder::addScopeSpans);
			try {
				batches.add(JSON.readTree(OTLP_JSON.print(builder)));
			}
			catch (InvalidProtocolBufferException ex) {
				throw new IllegalStateException("stored span cannot be printed", ex);
			}
		});
		ObjectNode body = JSON.createObjectNode();
		if (v2) {
			body.putObject("trace").set("resourceSpans", batches);
		}
		else {
			body.set("batches", batches);
		}
		return new ApiResponse(200, body.toString());
	}

	private ApiResponse search(QueryParams params) {
		Predicate<StoredSpan> filter = span -> true;
		String q = params.get("q");
		String tags = params.get("tags");
		if (q != null && !q.isBlank()) {
			filter = TraceQL.parse(q);
		}
		else if (tags != null && !tags.isBlank()) {
			filter = tagFilter(tags);
		}
		int limit = params.limit("limit", 20, 1_000);
		long now = System.currentTimeMillis() * 1_000_000L;
		long start = params.timeNanos("start", 0);
		long end = params.timeNanos("end", Long.MAX_VALUE);
		if (end < start) {
			throw new IllegalArgumentException("end must not be before start");
		}
		long minDuration = params.durationNanos("minDuration", 0);
		long maxDuration = params.durationNanos("maxDuration", Long.MAX_VALUE);
		ArrayNode traces = JSON.createArrayNode();
		for (TraceStore.TraceSummary summary : store.search(filter, start, end, minDuration, maxDuration, limit)) {
			ObjectNode trace = traces.addObject();
			trace.put("traceID", summary.traceId());
			trace.put("rootServiceName", summary.rootService());
			trace.put("rootTraceName", summary.rootName());
			trace.put("startTimeUnixNano", Long.toString(summary.startNanos()));
			trace.put("durationMs", (summary.endNanos() - summary.startNanos()) / 1_000_000);
			ObjectNode spanSet = trace.putObject("spanSet");
			ArrayNode spans = spanSet.putArray("spans");
			for (StoredSpan span : summary.matched()) {
				ObjectNode node = spans.addObject();
				node.put("spanID", span.spanId());
				node.put("name", span.name());
				node.put("startTimeUnixNano", Long.toString(span.startNanos()));
				node.put("durationNanos", Long.toString(span.durationNanos()));
				ArrayNode attributes = node.putArray("attributes");
				ObjectNode service = attributes.addObject();
				service.put("key", "service.name");
				service.putObject("value").put("stringValue", span.service());
			}
			spanSet.put("matched", summary.matched().size());
			trace.set("spanSets", JSON.createArrayNode().add(spanSet.deepCopy()));
		}
		ObjectNode body = JSON.createObjectNode();
		body.set("traces", traces);
		body.putObject("metrics").put("inspectedSpans", Long.toString(store.spanCount())).put("timestamp", now);
		return new ApiResponse(200, body.toString());
	}

	/** Tempo's legacy search: logfmt "key=value key2=value2", matched against span or resource attributes. */
	private static Predicate<StoredSpan> tagFilter(String logfmt) {
		Predicate<StoredSpan> filter = span -> true;
		for (String pair : logfmt.trim().split("\\s+")) {
			int eq = pair.indexOf('=');
			if (eq <= 0) {
				throw new IllegalArgumentException("tags must be logfmt key=value pairs, not \"" + pair + "\"");
			}
			String key = pair.substring(0, eq);
			String value = pair.substring(eq + 1).replaceAll("^\"|\"$", "");
			filter = filter.and(span -> switch (key) {
				case "name" -> span.name().equals(value);
				case "status.code", "status" -> value.equals(span.statusCode() == StoredSpan.STATUS_ERROR ? "error" : "ok");
				default -> value.equals(span.attributeOrResource(key.getBytes(StandardCharsets.UTF_8), key));
			});
		}
		return filter;
	}

	private ApiResponse tags(boolean v2) {
		var names = store.tagNames();
		ObjectNode body = JSON.createObjectNode();
		if (v2) {
			ArrayNode scopes = body.putArray("scopes");
			names.forEach((scope, tags) -> {
				ObjectNode node = scopes.addObject();
				node.put("name", scope);
				ArrayNode list = node.putArray("tags");
				tags.forEach(list::add);
			});
		}
		else {
			ArrayNode list = body.putArray("tagNames");
			names.get("resource").forEach(list::add);
			names.get("span").forEach(list::add);
		}
		return new ApiResponse(200, body.toString());
	}

	private ApiResponse tagValues(String tag, boolean v2, QueryParams params) {
		int limit = params.limit("limit", 1_000, 10_000);
		ObjectNode body = JSON.createObjectNode();
		ArrayNode values = body.putArray("tagValues");
		for (String value : store.tagValues(tag, limit)) {
			if (v2) {
				values.addObject().put("type", "string").put("value", value);
			}
			else {
				values.add(value);
			}
		}
		return new ApiResponse(200, body.toString());
	}

	private static ApiResponse error(int status, String message) {
		ObjectNode body = JSON.createObjectNode();
		body.put("error", message);
		return new ApiResponse(status, body.toString());
	}

	static JsonNode parse(String json) {
		return JSON.readTree(json);
	}

}
