package dev.vigil.launcher.control;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.launcher.Stack;
import dev.vigil.launcher.infra.BackingService;
import dev.vigil.launcher.supervisor.ManagedProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import tools.jackson.databind.json.JsonMapper;

/**
 * The launcher's control API on loopback: `./vigil status|down`, chaos experiments and the remediator's local-mode
 * actuator use it.
 *
 * <pre>
 * GET  /api/status                              processes and backing services
 * POST /api/processes/{name}/{restart|kill|crash|pause|resume}   crash = kill -9 that the supervisor does not restart
 * POST /api/infra/{postgres|redis|kafka}/{stop|start}
 * POST /api/shutdown                            stop everything (what ./vigil down calls)
 * </pre>
 *
 * Mutating calls require the token written to .vigil/launcher.json (readable only by the user who started Vigil).
 */
public final class ControlServer implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Stack stack;

	private final String token;

	private final Runnable shutdown;

	private final HttpServer server;

	public ControlServer(Stack stack, int port, String token, Runnable shutdown) throws IOException {
		this.stack = stack;
		this.token = token;
		this.shutdown = shutdown;
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
		server.setExecutor(Executors.newFixedThreadPool(2, runnable -> {
			Thread thread = new Thread(runnable, "vigil-control");
			thread.setDaemon(true);
			return thread;
		}));
		server.createContext("/api/", this::handle);
		server.start();
	}

	public int port() {
		return server.getAddress().getPort();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			String path = exchange.getRequestURI().getPath();
			String method = exchange.getRequestMethod();
			if (method.equals("GET") && path.equals("/api/status")) {
				respond(exchange, 200, status());
				return;
			}
			if (!method.equals("POST")) {
				respond(exchange, 405, problem("use POST for " + path));
				return;
			}
			if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
				respond(exchange, 401, problem("missing or wrong bearer token; it is in .vigil/launcher.json"));
				return;
			}
			String[] parts = path.split("/");
			if (path.equals("/api/shutdown")) {
				respond(exchange, 202, Map.of("status", "shutting down"));
				Thread thread = new Thread(shutdown, "vigil-shutdown");
				thread.start();
			}
			else if (parts.length == 5 && parts[2].equals("processes")) {
				processAction(exchange, parts[3], parts[4]);
			}
			else if (parts.length == 5 && parts[2].equals("infra")) {
				infraAction(exchange, parts[3], parts[4]);
			}
			else {
				respond(exchange, 404, problem("no such control endpoint: " + path));
			}
		}
		catch (RuntimeException ex) {
			respond(exchange, 500, problem(ex.getMessage()));
		}
	}

	private void processAction(HttpExchange exchange, String name, String action) throws IOException {
		Optional<ManagedProcess> process = stack.supervisor().process(name);
		if (process.isEmpty()) {
			respond(exchange, 404, problem("no process named " + name));
			return;
		}
		switch (action) {
			case "restart" -> stack.supervisor().restart(name);
			case "kill" -> process.get().kill();
			case "crash" -> process.get().crash();
			case "pause" -> process.get().pause();
			case "resume" -> process.get().resume();
			default -> {
				respond(exchange, 400, problem("unknown action " + action + "; use restart, kill, crash, pause or resume"));
				return;
			}
		}
		respond(exchange, 200, Map.of("process", name, "action", action));
	}

	private void infraAction(HttpExchange exchange, String name, String action) throws IOException {
		Optional<BackingService> service = stack.backingService(name);
		if (service.isEmpty()) {
			respond(exchange, 404, problem("no embedded backing service named " + name));
			return;
		}
		switch (action) {
			case "stop" -> service.get().stop();
			case "start" -> service.get().start();
			default -> {
				respond(exchange, 400, problem("unknown action " + action + "; use stop or start"));
				return;
			}
		}
		respond(exchange, 200, Map.of("service", name, "action", action));
	}

	private Map<String, Object> status() {
		List<Map<String, Object>> processes = new ArrayList<>();
		for (ManagedProcess process : stack.supervisor().processes()) {
			Map<String, Object> row = new LinkedHashMap<>();
			row.put("name", process.name());
			row.put("state", process.state().name());
			row.put("pid", process.pid().orElse(null));
			row.put("port", stack.config().ports().get(process.name()));
			row.put("restarts", process.restarts());
			// lets the remediator give a fresh incarnation time to send its first telemetry before calling it down
			row.put("uptimeSeconds", process.pid().isPresent() ? process.startedAt()
				.map(started -> java.time.Duration.between(started, java.time.Instant.now()).toSeconds())
				.orElse(null) : null);
			processes.add(row);
		}
		List<Map<String, Object>> infra = new ArrayList<>();
		for (BackingService service : stack.backingServices()) {
			infra.add(Map.of("name", service.name(), "running", service.running(), "address", service.address()));
		}
		return Map.of("processes", processes, "backingServices", infra);
	}

	private static Map<String, Object> problem(String detail) {
		return Map.of("detail", detail == null ? "unknown error" : detail);
	}

	private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
		byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream stream = exchange.getResponseBody()) {
			stream.write(bytes);
		}
	}

	@Override
	public void close() {
		server.stop(0);
	}

}
