package dev.vigil.telemetry.server;

import dev.vigil.telemetry.api.ApiResponse;
import java.util.List;
import java.util.Map;

/**
 * A WebSocket endpoint mounted on the HTTP server under a path prefix (Loki's live tail). The request is checked
 * before the upgrade, so bad parameters get a plain HTTP 4xx with a message rather than a connection closed for no
 * visible reason.
 */
@FunctionalInterface
public interface WebSocketRoute {

	/** Either a refusal (sent as the HTTP response) or the listener of the upgraded connection. */
	record Upgrade(ApiResponse refusal, Listener listener) {

		public static Upgrade refuse(ApiResponse response) {
			return new Upgrade(response, null);
		}

		public static Upgrade accept(Listener listener) {
			return new Upgrade(null, listener);
		}

	}

	/** Events of one upgraded connection; called on the connection's I/O thread, so they must not block. */
	interface Listener {

		void opened(WebSocketSession session);

		void closed();

	}

	Upgrade upgrade(String path, Map<String, List<String>> params);

}
