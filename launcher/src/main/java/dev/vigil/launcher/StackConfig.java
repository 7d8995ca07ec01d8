package dev.vigil.launcher;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything `./vigil up` needs to know: where the repository and the data live, and which port each component
 * binds. Defaults are the local-mode ports of docs/architecture.md; every port can be overridden with an environment
 * variable named after it (VIGIL_GATEWAY_PORT, VIGIL_POSTGRES_PORT, ...), and tests use {@link #withEphemeralPorts}.
 *
 * @param home the repository root (where services/&lt;name&gt;/target/*.jar live)
 * @param dataDir where PostgreSQL data, logs and the launcher's state file go (kept across restarts)
 * @param ports port by name, see {@link #DEFAULT_PORTS}
 * @param javaOptions JVM options for every service process
 * @param backgroundLoadRate requests per second of the gentle default load, 0 for none
 */
public record StackConfig(Path home, Path dataDir, Map<String, Integer> ports, String javaOptions,
		double backgroundLoadRate) {

	/** Local-mode ports, in the order they are printed. */
	public static final Map<String, Integer> DEFAULT_PORTS = defaultPorts();

	/**
	 * Small heaps and C1-only JIT: seven JVMs must fit in 3 GB and start fast on two cores. Override with
	 * VIGIL_JAVA_OPTS for capacity measurements (C2 gives more throughput after warm-up).
	 */
	public static final String DEFAULT_JAVA_OPTIONS = "-Xms64m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k";

	private static Map<String, Integer> defaultPorts() {
		Map<String, Integer> ports = new LinkedHashMap<>();
		ports.put("gateway", 8080);
		ports.put("users", 8081);
		ports.put("inventory", 8082);
		ports.put("inventory-grpc", 9082);
		ports.put("orders", 8083);
		ports.put("orders-grpc", 9083);
		ports.put("payments", 8084);
		ports.put("payments-grpc", 9084);
		ports.put("notifications", 8085);
		ports.put("remediator", 8086);
		ports.put("control", 8099);
		ports.put("telemetry", 9090);
		ports.put("otlp-grpc", 4317);
		ports.put("otlp-http", 4318);
		ports.put("postgres", 55432);
		ports.put("redis", 56379);
		ports.put("kafka", 59092);
		return java.util.Collections.unmodifiableMap(ports);
	}

	/** Defaults, overridden by VIGIL_&lt;NAME&gt;_PORT, VIGIL_DATA_DIR, VIGIL_JAVA_OPTS and VIGIL_LOAD_RATE. */
	public static StackConfig fromEnvironment(Path home, Map<String, String> env) {
		Map<String, Integer> ports = new LinkedHashMap<>();
		DEFAULT_PORTS.forEach((name, port) -> {
			String variable = "VIGIL_" + name.toUpperCase().replace('-', '_') + "_PORT";
			String value = env.get(variable);
			ports.put(name, (value == null || value.isBlank()) ? port : parsePort(variable, value));
		});
		Path dataDir = env.containsKey("VIGIL_DATA_DIR") ? Path.of(env.get("VIGIL_DATA_DIR")) : home.resolve(".vigil");
		String javaOptions = env.getOrDefault("VIGIL_JAVA_OPTS", DEFAULT_JAVA_OPTIONS);
		double loadRate = env.containsKey("VIGIL_LOAD_RATE") ? parseRate(env.get("VIGIL_LOAD_RATE")) : 20;
		return new StackConfig(home, dataDir, Map.copyOf(ports), javaOptions, loadRate);
	}

	/** Same stack, every port replaced by a free ephemeral one: for tests, which must never rely on fixed ports. */
	public StackConfig withEphemeralPorts(Path dataDir) {
		Map<String, Integer> free = new LinkedHashMap<>();
		ports.keySet().forEach(name -> free.put(name, freePort()));
		return new StackConfig(home, dataDir, Map.copyOf(free), javaOptions, backgroundLoadRate);
	}

	public StackConfig withBackgroundLoadRate(double rate) {
		return new StackConfig(home, dataDir, ports, javaOptions, rate);
	}

	public int port(String name) {
		Integer port = ports.get(name);
		if (port == null) {
			throw new IllegalArgumentException("no port named " + name);
		}
		return port;
	}

	public Path logDir() {
		return dataDir.resolve("logs");
	}

	private static int parsePort(String variable, String value) {
		try {
			int port = Integer.parseInt(value.trim());
			if (port >= 0 && port <= 65535) {
				return port;
			}
		}
		catch (NumberFormatException ignored) {
			// fall through to the message below
		}
		throw new LauncherException(variable + "=" + value + " is not a port; use a number from 1 to 65535.");
	}

	private static double parseRate(String value) {
		try {
			double rate = Double.parseDouble(value.trim());
			if (rate >= 0) {
				return rate;
			}
		}
		catch (NumberFormatException ignored) {
			// fall through to the message below
		}
		throw new LauncherException("VIGIL_LOAD_RATE=" + value + " is not a rate; use requests per second, e.g. 20, or 0 for none.");
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new LauncherException("cannot find a free port: " + ex.getMessage());
		}
	}

}
