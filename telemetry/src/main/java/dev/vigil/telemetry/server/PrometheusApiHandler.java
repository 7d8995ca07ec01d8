package dev.vigil.telemetry.server;

import dev.vigil.telemetry.api.ApiResponse;
import dev.vigil.telemetry.api.PrometheusApi;
import dev.vigil.telemetry.otlp.ExemplarStore;
import dev.vigil.telemetry.promql.Engine;
import dev.vigil.telemetry.tsdb.Storage;

/** Adapts the {@code api} package's Prometheus API to the HTTP front end; exemplars are answered here. */
final class PrometheusApiHandler {

	private PrometheusApiHandler() {
	}

	static ApiHandler create(Storage storage, Engine engine, ExemplarStore exemplars) {
		PrometheusApi api = new PrometheusApi(storage, engine);
		ExemplarQuery exemplarQuery = new ExemplarQuery(exemplars);
		return (path, params) -> {
			if (path.equals("/api/v1/query_exemplars")) {
				return exemplarQuery.handle(params);
			}
			ApiResponse r = api.handle(path, params);
			return new ApiHandler.Response(r.status(), ApiResponse.CONTENT_TYPE, r.body());
		};
	}

}
