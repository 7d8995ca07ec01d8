package dev.vigil.platform.telemetry;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/** An OTLP/HTTP receiver on a loopback ephemeral port: keeps every protobuf body by path (/v1/traces, ...). */
final class OtlpTestReceiver implements AutoCloseable {

	private final HttpServer server;

	private final Map<String, List<byte[]>> bodies = new ConcurrentHashMap<>();

	OtlpTestReceiver() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/", (exchange) -> {
			byte[] body = exchange.getRequestBody().readAllBytes();
			this.bodies.computeIfAbsent(exchange.getRequestURI().getPath(), (k) -> new CopyOnWriteArrayList<>())
				.add(body);
			exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
			exchange.sendResponseHeaders(200, 0);
			exchange.close();
		});
		this.server.start();
	}

	String baseUrl() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	List<byte[]> received(String path) {
		return this.bodies.getOrDefault(path, List.of());
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
