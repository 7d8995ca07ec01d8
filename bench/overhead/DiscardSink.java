import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An OTLP/HTTP receiver that reads every export request, counts it and answers success (HTTP 200 with an empty
 * protobuf body, which is a valid Export*ServiceResponse without partial failures) and keeps nothing. With the
 * services exporting here instead of to vigil-telemetry, the overhead benchmark measures the instrumentation's own
 * cost (SDK, serialisation, sending) as if the backend ran on another machine.
 * <p>
 * Single file, run from source: {@code java bench/overhead/DiscardSink.java PORT}. On exit (SIGTERM) it prints what it
 * received per path, so the benchmark can show the services really exported during the run.
 */
public class DiscardSink {

	public static void main(String[] args) throws IOException {
		int port = Integer.parseInt(args[0]);
		Map<String, LongAdder[]> received = new ConcurrentHashMap<>();
		HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
		server.createContext("/", (exchange) -> discard(exchange, received));
		// Two threads: an exporter of each of a handful of processes sends at most one batch at a time.
		server.setExecutor(Executors.newFixedThreadPool(2));
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			server.stop(0);
			received.forEach((path, counts) -> System.out.printf("[discard-sink] %s: %d requests, %d bytes%n", path,
					counts[0].sum(), counts[1].sum()));
		}));
		server.start();
		System.out.println("[discard-sink] listening on 127.0.0.1:" + port);
	}

	private static void discard(HttpExchange exchange, Map<String, LongAdder[]> received) throws IOException {
		long bytes = 0;
		try (InputStream body = exchange.getRequestBody()) {
			byte[] buffer = new byte[16384];
			for (int n; (n = body.read(buffer)) != -1;) {
				bytes += n;
			}
		}
		LongAdder[] counts = received.computeIfAbsent(exchange.getRequestURI().getPath(),
				(path) -> new LongAdder[] { new LongAdder(), new LongAdder() });
		counts[0].increment();
		counts[1].add(bytes);
		exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
		exchange.sendResponseHeaders(200, -1); // -1: no body
		exchange.close();
	}

}
