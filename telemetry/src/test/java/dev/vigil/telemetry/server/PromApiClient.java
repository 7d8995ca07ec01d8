package dev.vigil.telemetry.server;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** A tiny Prometheus HTTP API client for tests. */
public final class PromApiClient {

	private static final ObjectMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String base;

	public PromApiClient(int port) {
		this.base = "http://127.0.0.1:" + port;
	}

	/** One element of an instant-vector result. */
	public record Result(Map<String, String> metric, double value) {
	}

	public List<Result> query(String promql) {
		JsonNode root = getJson("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
		if (!root.path("status").asString().equals("success")) {
			throw new AssertionError("query " + promql + " failed: " + root);
		}
		List<Result> out = new ArrayList<>();
		for (JsonNode r : root.path("data").path("result")) {
			Map<String, String> m = new TreeMap<>();
			for (Map.Entry<String, JsonNode> e : r.path("metric").properties()) {
				m.put(e.getKey(), e.getValue().asString());
			}
			out.add(new Result(m, Double.parseDouble(r.path("value").get(1).asString())));
		}
		return out;
	}

	public JsonNode getJson(String pathAndQuery) {
		return JSON.readTree(get(pathAndQuery).body());
	}

	public HttpResponse<String> get(String pathAndQuery) {
		return send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET().build());
	}

	public HttpResponse<String> postForm(String path, String form) {
		return send(HttpRequest.newBuilder(URI.create(base + path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build());
	}

	private HttpResponse<String> send(HttpRequest req) {
		try {
			return http.send(req, HttpResponse.BodyHandlers.ofString());
		}
		catch (Exception e) {
			throw new AssertionError("request " + req.uri() + " failed", e);
		}
	}

}
