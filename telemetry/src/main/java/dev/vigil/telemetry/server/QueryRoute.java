package dev.vigil.telemetry.server;

import dev.vigil.telemetry.api.ApiResponse;
import java.util.List;
import java.util.Map;

/**
 * An extra query API mounted on the HTTP server under a path prefix (the Tempo and Loki APIs): receives the full
 * path and the merged query/form parameters, answers JSON.
 */
@FunctionalInterface
public interface QueryRoute {

	ApiResponse handle(String path, Map<String, List<String>> params);

}
