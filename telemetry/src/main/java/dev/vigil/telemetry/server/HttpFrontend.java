package dev.vigil.telemetry.server;

import com.sun.net.httpserver.HttpExchange;
import dev.vigil.telemetry.rules.RuleManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server on port 9090: the Prometheus query API under {@code /api/v1/} (GET, or POST with a form body as
 * Prometheus accepts), rules and alerts, the {@code /-/healthy} and {@code /-/ready} probes, the mounted query
 * routes and WebSocket routes (Loki's live tail).
 */
final class HttpFrontend implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(HttpFrontend.class);

	private static final int MAX_FORM_BYTES = 1024 * 1024;

	private final NettyHttpServer server;
	private final ThreadPoolExecutor executor;
	private final ApiHandler api;
	private final RuleManager rules;
	private final BooleanSupplier ready;
	private static final String CONSOLE = loadConsole();

	private static String loadConsole() {
		try (var in = HttpFrontend.class.getResourceAsStream("/console/index.html")) {
			return in == null ? "console missing from the jar\n" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException e) {
			return "console unreadable: " + e.getMessage() + "\n";
		}
	}

	private final Map<String, QueryRoute> routes;
	final LongAdder queries = new LongAdder();
	final LongAdder queryErrors = new LongAdder();

	private HttpFrontend(ThreadPoolExecutor executor, ApiHandler api, RuleManager rules, BooleanSupplier ready,
			Map<String, QueryRoute> routes, java.util.function.Function<HttpFrontend, NettyHttpServer> server)
			throws IOException {
		this.routes = Map.copyOf(routes);
		this.executor = executor;
		this.api = api;
		this.rules = rules;
		this.ready = ready;
		try {
			this.server = server.apply(this);
		}
		catch (java.io.UncheckedIOException e) {
			throw e.getCause();
		}
	}

	static HttpFrontend start(String host, int port, ApiHandler api, RuleManager rules, BooleanSupplier ready,
			Map<String, QueryRoute> routes, Map<String, WebSocketRoute> sockets, int threads) throws IOException {
		// bounded: when all workers are busy and the queue is full, the I/O thread serves the request itself, which
		// stops it from reading more until there is room
		ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
				new ArrayBlockingQueue<>(threads * 8), r -> {
					Thread t = new Thread(r, "http-api");
					t.setDaemon(true);
					return t;
				}, new ThreadPoolExecutor.CallerRunsPolicy());
		HttpFrontend f = new HttpFrontend(executor, api, rules, ready, routes, frontend -> {
			try {
				return new NettyHttpServer(host, port, MAX_FORM_BYTES + 64 * 1024, executor, exchange -> {
					try {
						frontend.handle(exchange);
					}
					catch (IOException e) {
						log.debug("HTTP API response failed", e);
					}
				}, sockets);
			}
			catch (IOException e) {
				throw new java.io.UncheckedIOException(e);
			}
		});
		log.info("HTTP API listening on {}:{}", host, f.port());
		return f;
	}

	int port() {
		return server.port();
	}

	private void handle(HttpExchange ex) throws IOException {
		try (ex) {
			String path = ex.getRequestURI().getPath();
			String method = ex.getRequestMethod();
			switch (path) {
				case "/-/healthy" -> {
					send(ex, 200, "text/plain; charset=utf-8", "Vigil Telemetry is Healthy.\n");
					return;
				}
				case "/-/ready" -> {
					if (ready.getAsBoolean()) {
						send(ex, 200, "text/plain; charset=utf-8", "Vigil Telemetry is Ready.\n");
					}
					else {
						send(ex, 503, "text/plain; charset=utf-8", "Service Unavailable\n");
					}
					return;
				}
				case "/", "/console" -> {
					// The console: one static page, no build step, a client of the same query APIs Grafana uses.
					send(ex, 200, "text/html; charset=utf-8", CONSOLE);
					return;
				}
				default -> {
				}
			}
			QueryRoute route = null;
			for (Map.Entry<String, QueryRoute> e : routes.entrySet()) {
				if (path.startsWith(e.getKey())) {
					route = e.getValue();
				}
			}
			if (route == null && !path.startsWith("/api/v1/")) {
				send(ex, 404, "text/plain; charset=utf-8", "404 page not found\n");
				return;
			}
			if (!method.equals("GET") && !method.equals("POST") && !method.equals("HEAD")) {
				ex.getResponseHeaders().set("Allow", "GET, POST");
				send(ex, 405, "application/json", error("bad_data", "method " + method + " not allowed"));
				return;
			}
			Map<String, List<String>> params = new LinkedHashMap<>();
			parseForm(ex.getRequestURI().getRawQuery(), params);
			if (method.equals("POST")) {
				String type = ex.getRequestHeaders().getFirst("Content-Type");
				if (type != null && type.startsWith("application/x-www-form-urlencoded")) {
					byte[] body = readLimited(ex.getRequestBody());
					if (body == null) {
						send(ex, 413, "application/json", error("bad_data", "form body too large"));
						return;
					}
					parseForm(new String(body, StandardCharsets.UTF_8), params);
				}
			}
			ApiHandler.Response r;
			if (route != null) {
				var answer = route.handle(path, params);
				send(ex, answer.status(), "application/json", answer.body());
				return;
			}
			switch (path) {
				case "/api/v1/rules" -> r = ApiHandler.Response.json(200, rules.rulesJson(first(params, "type")));
				case "/api/v1/alerts" -> r = ApiHandler.Response.json(200, rules.alertsJson());
				default -> {
					if (path.equals("/api/v1/query") || path.equals("/api/v1/query_range")) {
						queries.increment();
					}
					r = api.handle(path, params);
					if (r.status() >= 400 && (path.equals("/api/v1/query") || path.equals("/api/v1/query_range"))) {
						queryErrors.increment();
					}
				}
			}
			send(ex, r.status(), r.contentType(), r.body());
		}
		catch (RuntimeException e) {
			log.warn("HTTP API request failed", e);
			try {
				send(ex, 500, "application/json", error("internal", String.valueOf(e.getMessage())));
			}
			catch (IOException | RuntimeException ignored) {
				// response already started
			}
		}
	}

	private static String first(Map<String, List<String>> params, String name) {
		List<String> v = params.get(name);
		return v == null || v.isEmpty() ? "" : v.get(0);
	}

	static String error(String type, String message) {
		return "{\"status\":\"error\",\"errorType\":\"" + type + "\",\"error\":\""
				+ message.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"}";
	}

	static void parseForm(String raw, Map<String, List<String>> into) {
		if (raw == null || raw.isEmpty()) {
			return;
		}
		for (String pair : raw.split("&")) {
			if (pair.isEmpty()) {
				continue;
			}
			int eq = pair.indexOf('=');
			String k = decode(eq < 0 ? pair : pair.substring(0, eq));
			String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
			into.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
		}
	}

	private static String decode(String s) {
		try {
			return URLDecoder.decode(s, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException e) {
			return s;
		}
	}

	private static byte[] readLimited(InputStream in) throws IOException {
		byte[] b = in.readNBytes(MAX_FORM_BYTES + 1);
		return b.length > MAX_FORM_BYTES ? null : b;
	}

	private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		ex.getResponseHeaders().set("Content-Type", type);
		boolean head = ex.getRequestMethod().equals("HEAD");
		ex.sendResponseHeaders(status, head || bytes.length == 0 ? -1 : bytes.length);
		if (!head && bytes.length > 0) {
			try (OutputStream os = ex.getResponseBody()) {
				os.write(bytes);
			}
		}
	}

	@Override
	public void close() {
		server.close();
		executor.shutdownNow();
	}

}
