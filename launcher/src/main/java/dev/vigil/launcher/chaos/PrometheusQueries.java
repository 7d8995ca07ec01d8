package dev.vigil.launcher.chaos;

import dev.vigil.launcher.LauncherException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two questions an experiment asks of the monitoring: what is this PromQL value now, and is this alert firing.
 * Asked over the Prometheus HTTP API, so experiments run unchanged against vigil-telemetry or a real Prometheus.
 */
public final class PrometheusQueries {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final URI base;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	public PrometheusQueries(URI base) {
		this.base = base;
	}

	/** The sum of the result's sample values (a scalar's value), or NaN when the result is empty. */
	public double value(String promql) {
		JsonNode data = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).path("data");
		JsonNode result = data.path("result");
		if (data.path("resultType").asString().equals("scalar")) {
			return Double.parseDouble(result.get(1).asString());
		}
		if (!result.isArray() || result.isEmpty()) {
			return Double.NaN;
		}
		double sum = 0;
		for (JsonNode sample : result) {
			sum += Double.parseDouble(sample.path("value").get(1).asString());
		}
		return sum;
	}

	public boolean firing(String alertName) {
		for (JsonNode alert : get("/api/v1/alerts").path("data").path("alerts")) {
			if (alertName.equals(alert.path("labels").path("alertname").asString())
					&& "firing".equals(alert.path("state").asString())) {
				return true;
			}
		}
		return false;
	}

	private JsonNode get(String path) {
		try {
			HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve(path))
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.ofString());
			JsonNode body = JSON.readTree(response.body());
			if (response.statusCode() != 200) {
				throw new LauncherException("query " + path + " failed: " + body.path("error").asString(response.body()));
			}
			return body;
		}
		catch (IOException ex) {
			throw new LauncherException("cannot reach the query API at " + base + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new LauncherException("interrupted");
		}
	}

}
