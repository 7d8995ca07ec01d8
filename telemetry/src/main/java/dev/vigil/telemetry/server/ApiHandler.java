package dev.vigil.telemetry.server;

import java.util.List;
import java.util.Map;

/** Answers a query-API request: path below the server root, and the merged query/form parameters. */
@FunctionalInterface
interface ApiHandler {

	Response handle(String path, Map<String, List<String>> params);

	record Response(int status, String contentType, String body) {

		static Response json(int status, String body) {
			return new Response(status, "application/json", body);
		}

	}

}
