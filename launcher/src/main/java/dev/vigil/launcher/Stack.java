package dev.vigil.launcher;

import dev.vigil.launcher.infra.BackingService;
import dev.vigil.launcher.infra.EmbeddedKafkaService;
import dev.vigil.launcher.infra.EmbeddedPostgresService;
import dev.vigil.launcher.infra.EmbeddedRedisService;
import dev.vigil.launcher.supervisor.ProcessSpec;
import dev.vigil.launcher.supervisor.Supervisor;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The whole local-mode stack: embedded PostgreSQL, Redis and Kafka (unless an external one is configured), then
 * vigil-telemetry and the six services, each its own supervised JVM. Used by `./vigil up` and by the end-to-end tests,
 * so the tests exercise exactly what users run.
 */
public final class Stack implements AutoCloseable {

	/** The services in start order, with the HTTP port name and (if any) gRPC port name each binds. */
	static final List<String> SERVICES = List.of("users", "inventory", "payments", "orders", "notifications", "gateway");

	private final StackConfig config;

	private final Map<String, String> environment;

	private final PrintStream out;

	private final Map<String, BackingService> backingServices = new LinkedHashMap<>();

	private final Supervisor supervisor;

	/** Shared by the remediator (which checks it) and vigil-telemetry's notifier (which sends it); new every start. */
	private final String remediatorToken = java.util.UUID.randomUUID().toString();

	public Stack(StackConfig config, Map<String, String> environment, PrintStream out) {
		this.config = config;
		this.environment = environment;
		this.out = out;
		this.supervisor = new Supervisor(out);
		if (!environment.containsKey("VIGIL_POSTGRES_URL")) {
			backingServices.put("postgres",
					new EmbeddedPostgresService(config.port("postgres"), config.dataDir().resolve("postgres")));
		}
		if (!environment.containsKey("VIGIL_REDIS_URL")) {
			backingServices.put("redis", new EmbeddedRedisService(config.port("redis"), config.dataDir().resolve("redis")));
		}
		if (!environment.containsKey("VIGIL_KAFKA_BOOTSTRAP")) {
			backingServices.put("kafka", new EmbeddedKafkaService(config.port("kafka"), config.dataDir().resolve("kafka")));
		}
	}

	public StackConfig config() {
		return config;
	}

	public Supervisor supervisor() {
		return supervisor;
	}

	public Optional<BackingService> backingService(String name) {
		return Optional.ofNullable(backingServices.get(name));
	}

	public List<BackingService> backingServices() {
		return List.copyOf(backingServices.values());
	}

	/** Starts everything and returns once every process is ready. */
	public void start(Duration readyTimeout) {
		checkJarsBuilt();
		checkPortsFree();
		startBackingServices();
		addProcesses();
		supervisor.startAll();
		supervisor.awaitReady(readyTimeout);
	}

	private void checkJarsBuilt() {
		List<String> missing = new ArrayList<>();
		for (Path jar : jars().values()) {
			if (!Files.isRegularFile(jar)) {
				missing.add(config.home().relativize(jar).toString());
			}
		}
		if (!missing.isEmpty()) {
			throw new LauncherException("not built yet: " + String.join(", ", missing)
					+ ". Run ./vigil up (it builds on first use) or ./mvnw -DskipTests package.");
		}
	}

	private void checkPortsFree() {
		List<String> taken = new ArrayList<>();
		config.ports().forEach((name, port) -> {
			if (port > 0 && !portFree(port) && usedByThisStack(name)) {
				taken.add(name + " " + port);
			}
		});
		if (!taken.isEmpty()) {
			throw new LauncherException("ports already in use: " + String.join(", ", taken)
					+ ". Is Vigil already running (./vigil status, ./vigil down)? Or move a component with "
					+ "VIGIL_<NAME>_PORT, e.g. VIGIL_GATEWAY_PORT=18080.");
		}
	}

	private boolean usedByThisStack(String portName) {
		return switch (portName) {
			case "postgres", "redis", "kafka" -> backingServices.containsKey(portName);
			// bound by the launcher itself before the stack starts (see Vigil#up), with its own error message
			case "control" -> false;
			default -> true;
		};
	}

	private static boolean portFree(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private void startBackingServices() {
		List<CompletableFuture<Void>> starts = new ArrayList<>();
		for (BackingService service : backingServices.values()) {
			starts.add(CompletableFuture.runAsync(() -> {
				long began = System.nanoTime();
				service.start();
				out.printf("[vigil] %-14s ready in %.1f s (%s)%n", service.name(), (System.nanoTime() - began) / 1e9,
						service.address());
			}));
		}
		try {
			CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
		}
		catch (CompletionException ex) {
			throw (ex.getCause() instanceof LauncherException launcher) ? launcher
					: new LauncherException("a backing service failed to start: " + ex.getCause(), ex.getCause());
		}
	}

	Map<String, Path> jars() {
		Map<String, Path> jars = new LinkedHashMap<>();
		jars.put("telemetry", config.home().resolve("telemetry/target/vigil-telemetry.jar"));
		for (String service : SERVICES) {
			jars.put(service, config.home().resolve("services/" + service + "/target/vigil-" + service + ".jar"));
		}
		jars.put("remediator", config.home().resolve("remediator/target/vigil-remediator.jar"));
		return jars;
	}

	private void addProcesses() {
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		List<String> javaOptions = List.of(config.javaOptions().trim().split("\\s+"));
		Map<String, Path> jars = jars();

		List<String> telemetry = new ArrayList<>();
		telemetry.add(java.toString());
		telemetry.addAll(javaOptions);
		telemetry.add("-Xmx640m"); // after the common options, so it wins: the stores live on this heap
		telemetry.addAll(List.of("-jar", jars.get("telemetry").toString(), "--http-port=" + config.port("telemetry"),
				"--otlp-grpc-port=" + config.port("otlp-grpc"), "--otlp-http-port=" + config.port("otlp-http"),
				"--data-dir=" + config.dataDir().resolve("telemetry"), "--memory-budget-mb=128", "--rules=" + ruleFiles(),
				"--evaluation-interval=15s", "--alert-webhook=" + remediatorWebhook(), "--group-wait=5s",
				"--group-interval=30s", "--repeat-interval=5m"));
		// Local mode keeps the stores small enough for a laptop: about 150 MB of spans, 40 MB of logs, 128 MB of samples.
		Map<String, String> telemetryEnv = Map.of("VIGIL_ALERT_WEBHOOK_TOKEN", remediatorToken,
				"VIGIL_TELEMETRY_MAX_SPANS", environment.getOrDefault("VIGIL_TELEMETRY_MAX_SPANS", "150000"),
				"VIGIL_TELEMETRY_MAX_LOG_RECORDS", environment.getOrDefault("VIGIL_TELEMETRY_MAX_LOG_RECORDS", "200000"));
		supervisor.add(new ProcessSpec("telemetry", telemetry, telemetryEnv,
				URI.create("http://127.0.0.1:" + config.port("telemetry") + "/-/ready"),
				config.logDir().resolve("telemetry.log")));

		Map<String, List<String>> launch = launchArguments(java, javaOptions, jars);
		for (String service : SERVICES) {
			List<String> command = new ArrayList<>();
			command.add(java.toString());
			command.addAll(javaOptions);
			command.addAll(launch.get(service));
			supervisor.add(new ProcessSpec(service, command, serviceEnvironment(service),
					URI.create("http://127.0.0.1:" + config.port(service) + "/actuator/health/readiness"),
					config.logDir().resolve(service + ".log")));
		}

		List<String> remediator = new ArrayList<>();
		remediator.add(java.toString());
		remediator.addAll(javaOptions);
		remediator.addAll(launch.get("remediator"));
		Map<String, String> remediatorEnv = remediatorEnvironment();
		supervisor.add(new ProcessSpec("remediator", remediator, remediatorEnv,
				URI.create("http://127.0.0.1:" + config.port("remediator") + "/actuator/health/readiness"),
				config.logDir().resolve("remediator.log")));
	}

	/**
	 * How each Spring Boot process is launched: from a class data sharing archive (made once per build, all services
	 * in parallel), or from the plain jar when VIGIL_CDS=false or the archive cannot be made.
	 */
	private Map<String, List<String>> launchArguments(Path java, List<String> javaOptions, Map<String, Path> jars) {
		List<String> names = new ArrayList<>(SERVICES);
		names.add("remediator");
		Map<String, List<String>> launch = new LinkedHashMap<>();
		if ("false".equalsIgnoreCase(environment.getOrDefault("VIGIL_CDS", "true"))) {
			names.forEach(name -> launch.put(name, List.of("-jar", jars.get(name).toString())));
			return launch;
		}
		dev.vigil.launcher.cds.ClassDataSharing cds = new dev.vigil.launcher.cds.ClassDataSharing(
				config.dataDir().resolve("cds"), out);
		Map<String, CompletableFuture<List<String>>> pending = new LinkedHashMap<>();
		for (String name : names) {
			Map<String, String> env = name.equals("remediator") ? remediatorEnvironment() : serviceEnvironment(name);
			pending.put(name, CompletableFuture.supplyAsync(
					() -> cds.launchArguments(name, java, javaOptions, jars.get(name), env), trainingPool));
		}
		pending.forEach((name, arguments) -> launch.put(name, arguments.join()));
		return launch;
	}

	/** Training runs are whole application starts: at most two at a time on a small machine is fastest overall. */
	private final java.util.concurrent.ExecutorService trainingPool = java.util.concurrent.Executors
		.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), runnable -> {
			Thread thread = new Thread(runnable, "vigil-cds");
			thread.setDaemon(true);
			return thread;
		});

	private Map<String, String> remediatorEnvironment() {
		Map<String, String> remediatorEnv = new LinkedHashMap<>();
		remediatorEnv.put("SERVER_PORT", Integer.toString(config.port("remediator")));
		remediatorEnv.put("VIGIL_REMEDIATOR_TOKEN", remediatorToken);
		remediatorEnv.put("VIGIL_REMEDIATOR_ACTUATOR", "local");
		remediatorEnv.put("VIGIL_REMEDIATOR_CONTROL_URL", "http://127.0.0.1:" + config.port("control"));
		remediatorEnv.put("VIGIL_DATA_DIR", config.dataDir().toAbsolutePath().toString());
		remediatorEnv.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + config.port("otlp-http"));
		remediatorEnv.put("OTEL_SERVICE_NAME", "vigil-remediator");
		return remediatorEnv;
	}

	/**
	 * The same alerts as cluster mode at the demo time scale, generated from the production files: the SLO rules with
	 * 30 days shrunk to an hour, and the symptom alerts with their windows and `for` shrunk tenfold and evaluated every
	 * 5 s — so a dead or hung service pages within a minute and burn-rate alerts fire within minutes on a laptop
	 * (docs/slos.md, "The demo time scale").
	 */
	String ruleFiles() {
		Path rules = config.home().resolve("deploy/observability/rules");
		return rules.resolve("vigil-alerts-demo.yml") + "," + rules.resolve("slo-demo.yml");
	}

	/** Where vigil-telemetry's notifier posts alerts, and the token it must send. */
	public String remediatorWebhook() {
		return "http://127.0.0.1:" + config.port("remediator") + "/api/alerts";
	}

	public String remediatorToken() {
		return remediatorToken;
	}

	/** The environment of one service process: its ports and where everything it talks to lives. */
	Map<String, String> serviceEnvironment(String service) {
		Map<String, String> env = new LinkedHashMap<>();
		// The user's (or a test's) VIGIL_* settings reach every service, e.g. VIGIL_PAYMENTS_DECLINE_RATE=0.
		environment.forEach((name, value) -> {
			if (name.startsWith("VIGIL_")) {
				env.put(name, value);
			}
		});
		env.put("SERVER_PORT", Integer.toString(config.port(service)));
		if (config.ports().containsKey(service + "-grpc")) {
			env.put("GRPC_PORT", Integer.toString(config.port(service + "-grpc")));
		}
		env.put("VIGIL_POSTGRES_URL", environment.getOrDefault("VIGIL_POSTGRES_URL",
				"jdbc:postgresql://127.0.0.1:" + config.port("postgres") + "/postgres"));
		env.put("VIGIL_REDIS_URL", environment.getOrDefault("VIGIL_REDIS_URL", "redis://127.0.0.1:" + config.port("redis")));
		env.put("VIGIL_KAFKA_BOOTSTRAP",
				environment.getOrDefault("VIGIL_KAFKA_BOOTSTRAP", "127.0.0.1:" + config.port("kafka")));
		env.put("VIGIL_USERS_URL", "http://127.0.0.1:" + config.port("users"));
		env.put("VIGIL_INVENTORY_GRPC", "127.0.0.1:" + config.port("inventory-grpc"));
		env.put("VIGIL_PAYMENTS_GRPC", "127.0.0.1:" + config.port("payments-grpc"));
		env.put("VIGIL_ORDERS_GRPC", "127.0.0.1:" + config.port("orders-grpc"));
		env.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + config.port("otlp-http"));
		env.put("OTEL_SERVICE_NAME", "vigil-" + service);
		return env;
	}

	/** Stops the processes, then the backing services. Data directories stay. */
	@Override
	public void close() {
		supervisor.close();
		List<BackingService> reverse = new ArrayList<>(backingServices.values());
		java.util.Collections.reverse(reverse);
		for (BackingService service : reverse) {
			try {
				service.stop();
			}
			catch (RuntimeException ex) {
				out.printf("[vigil] %s did not stop cleanly: %s%n", service.name(), ex.getMessage());
			}
		}
		endStrayProcesses();
	}

	/** A safety net for "no orphan processes": whatever this JVM started and is still alive gets SIGTERM, then SIGKILL. */
	private void endStrayProcesses() {
		List<ProcessHandle> strays = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
		if (strays.isEmpty()) {
			return;
		}
		out.printf("[vigil] ending %d stray process(es)%n", strays.size());
		strays.forEach(ProcessHandle::destroy);
		for (ProcessHandle stray : strays) {
			try {
				stray.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
			}
			catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException ex) {
				stray.destroyForcibly();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				stray.destroyForcibly();
			}
		}
	}

}
