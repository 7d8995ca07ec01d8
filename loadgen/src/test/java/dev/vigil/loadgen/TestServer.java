package dev.vigil.loadgen;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

/** A loopback JDK HttpServer on an ephemeral port. */
final class TestServer implements AutoCloseable {

	static {
		// The JDK server writes headers and body separately; with Nagle on, the body waits for the client's delayed
		// ACK (~40 ms). Real, but it would make the server-side "truth" in these tests differ from what the client
		// sees. Read once, when the server classes initialise.
		System.setProperty("sun.net.httpserver.nodelay", "true");
	}

	private final HttpServer server;

	private final ExecutorService executor;

	TestServer(int threads, HttpHandler handler) throws IOException {
		server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
		executor = Executors.newFixedThreadPool(threads, Engine.daemon("test-server"));
		server.setExecutor(executor);
		server.createContext("/", handler);
		server.start();
	}

	URI uri(String path) {
		return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
	}

	static void respond(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
		if (bytes.length > 0) {
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(bytes);
			}
		}
		exchange.close();
	}

	@Override
	public void close() {
		server.stop(0);
		executor.shutdownNow();
	}
}
