package dev.vigil.telemetry.server;

/** The server side of one WebSocket connection: text frames out, thread-safe. */
public interface WebSocketSession {

	/**
	 * Whether a frame can be sent without queueing beyond the connection's write buffer (256 KiB). A slow reader
	 * makes this false; the sender then decides what to drop rather than letting the queue grow.
	 */
	boolean writable();

	boolean isOpen();

	void sendText(String text);

	/** Sends a close frame ({@code code} per RFC 6455 §7.4) and closes the connection. */
	void close(int code, String reason);

}
