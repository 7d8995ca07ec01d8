package dev.vigil.launcher;

import dev.vigil.launcher.control.ControlClient;
import dev.vigil.launcher.control.ControlServer;
import dev.vigil.loadgen.LoadGenerator;
import java.io.IOException;
import java.net.URI;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/** `./vigil COMMAND`: the launcher's command line. Errors are one line saying what to do, never a stack trace. */
public final class Vigil {

	static final String USAGE = """
			usage: ./vigil COMMAND
			  build                                rebuild all jars (./mvnw -DskipTests package)
			  up [--no-load] [--timeout=SECONDS]   start everything and stay in the foreground (Ctrl-C stops it)
			  down                                 stop a running stack (from another terminal)
			  status                               each process: state, pid, port, restarts
			  logs NAME                            the last 100 lines of a process's log (.vigil/logs/NAME.log)
			  restart|kill|crash|pause|resume NAME act on one process (kill = kill -9, crash = kill -9 not restarted
			                                       by the supervisor, pause = SIGSTOP)
			  infra stop|start postgres|redis|kafka take a backing service away and give it back
			  load [OPTIONS]                       the load generator against the gateway (./vigil load --help)
			  chaos list | chaos run [NAME...]     chaos experiments (chaos/experiments/*.yaml) against the running stack
			  slo generate | slo validate          SLO specs (slo/specs) to rule files (deploy/observability/rules)
			environment: VIGIL_<NAME>_PORT (e.g. VIGIL_GATEWAY_PORT), VIGIL_DATA_DIR, VIGIL_JAVA_OPTS, VIGIL_LOAD_RATE,
			  VIGIL_POSTGRES_URL / VIGIL_REDIS_URL / VIGIL_KAFKA_BOOTSTRAP to use external servers instead of embedded ones
			""";

	private final PrintStream out;

	private final StackConfig config;

	Vigil(PrintStream out, StackConfig config) {
		this.out = out;
		this.config = config;
	}

	public static void main(String[] args) {
		Path home = Path.of(System.getProperty("vigil.home", ".")).toAbsolutePath().normalize();
		try {
			int code = new Vigil(System.out, StackConfig.fromEnvironment(home, System.getenv())).run(List.of(args));
			System.exit(code);
		}
		catch (LauncherException ex) {
			System.err.println("vigil: " + ex.getMessage());
			System.exit(1);
		}
	}

	int run(List<String> args) {
		if (args.isEmpty() || args.get(0).equals("help") || args.get(0).equals("--help") || args.get(0).equals("-h")) {
			out.print(USAGE);
			return args.isEmpty() ? 2 : 0;
		}
		String command = args.get(0);
		List<String> rest = args.subList(1, args.size());
		return switch (command) {
			case "up" -> up(rest);
			case "down" -> down();
			case "status" -> status();
			case "logs" -> logs(rest);
			case "restart", "kill", "crash", "pause", "resume" -> processAction(command, rest);
			case "infra" -> infra(rest);
			case "chaos" -> new dev.vigil.launcher.chaos.ChaosCommand(config, out).run(rest);
			case "load" -> load(rest);
			default -> usageError("unknown command '" + command + "'");
		};
	}

	private int usageError(String message) {
		System.err.println("vigil: " + message);
		System.err.print(USAGE);
		return 2;
	}

	private int up(List<String> options) {
		Duration timeout = Duration.ofSeconds(240);
		StackConfig stackConfig = config;
		for (String option : options) {
			if (option.equals("--no-load")) {
				stackConfig = stackConfig.withBackgroundLoadRate(0);
			}
			else if (option.startsWith("--timeout=")) {
				timeout = Duration.ofSeconds(parseSeconds(option.substring("--timeout=".length())));
			}
			else {
				return usageError("unknown option for up: " + option);
			}
		}
		Optional<ControlClient> running = ControlClient.connect(config.dataDir());
		if (running.isPresent()) {
			throw new LauncherException("Vigil is already running (launcher pid " + running.get().launcherPid()
					+ "). Use ./vigil status, or ./vigil down first.");
		}
		long began = System.nanoTime();
		Stack stack = new Stack(stackConfig, System.getenv(), out);
		CountDownLatch stopped = new CountDownLatch(1);
		Runnable stop = () -> {
			synchronized (stack) {
				if (stopped.getCount() > 0) {
					out.println("[vigil] stopping ...");
					stack.close();
					deleteState();
					out.println("[vigil] stopped; data kept in " + config.dataDir());
					stopped.countDown();
				}
			}
		};
		Runtime.getRuntime().addShutdownHook(new Thread(stop, "vigil-stop"));
		try {
			String token = UUID.randomUUID().toString();
			ControlServer control = new ControlServer(stack, stackConfig.port("control"), token, () -> {
				stop.run();
				System.exit(0);
			});
			new ControlClient.LauncherState(ProcessHandle.current().pid(), control.port(), token).write(config.dataDir());
			out.printf("[vigil] starting in %s (logs in %s)%n", config.home(), stackConfig.logDir());
			stack.start(timeout);
		}
		catch (IOException ex) {
			stop.run();
			throw new LauncherException("cannot start the control API on port " + stackConfig.port("control") + ": "
					+ ex.getMessage() + ". Set VIGIL_CONTROL_PORT to another port.", ex);
		}
		catch (LauncherException ex) {
			stop.run();
			throw ex;
		}
		printReady(stackConfig, (System.nanoTime() - began) / 1e9);
		startBackgroundLoad(stackConfig);
		awaitUninterruptibly(stopped);
		return 0;
	}

	/** A gentle default load so the dashboards are alive; stops with the JVM (its threads are daemons). */
	private void startBackgroundLoad(StackConfig stackConfig) {
		if (stackConfig.backgroundLoadRate() <= 0) {
			out.println("[vigil] background load off (--no-load)");
			return;
		}
		URI gateway = URI.create("http://127.0.0.1:" + stackConfig.port("gateway"));
		try {
			BackgroundLoad.start(gateway, stackConfig.backgroundLoadRate(), out);
			out.printf("[vigil] background load: %.0f req/s against the gateway (VIGIL_LOAD_RATE, --no-load)%n",
					stackConfig.backgroundLoadRate());
		}
		catch (RuntimeException ex) {
			out.println("[vigil] background load not started: " + ex.getMessage());
		}
	}

	private int load(List<String> args) {
		List<String> withTarget = new java.util.ArrayList<>(args);
		if (args.stream().noneMatch(arg -> arg.startsWith("--target"))) {
			withTarget.add("--target");
			withTarget.add("http://127.0.0.1:" + config.port("gateway"));
		}
		return LoadGenerator.run(withTarget.toArray(String[]::new), out, System.err);
	}

	private void printReady(StackConfig stackConfig, double seconds) {
		out.printf("%n[vigil] all ready in %.1f s%n", seconds);
		out.printf("  console and query APIs  http://127.0.0.1:%d/%n", stackConfig.port("telemetry"));
		out.printf("  shop API (gateway)      http://127.0.0.1:%d/api/products%n", stackConfig.port("gateway"));
		out.printf("  OTLP                    grpc 127.0.0.1:%d, http 127.0.0.1:%d%n", stackConfig.port("otlp-grpc"),
				stackConfig.port("otlp-http"));
		out.println("  ./vigil status · ./vigil logs NAME · Ctrl-C or ./vigil down to stop");
	}

	private int down() {
		Optional<ControlClient> client = ControlClient.connect(config.dataDir());
		if (client.isEmpty()) {
			out.println("vigil: not running");
			return 0;
		}
		long pid = client.get().launcherPid();
		try {
			client.get().post("/api/shutdown");
		}
		catch (LauncherException ex) {
			// Not answering: fall back to SIGTERM, which runs the same shutdown hook.
			ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
		}
		out.print("[vigil] stopping");
		Optional<ProcessHandle> handle = ProcessHandle.of(pid);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
		while (handle.map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
			out.print(".");
			sleepQuietly(Duration.ofSeconds(1));
		}
		out.println();
		if (handle.map(ProcessHandle::isAlive).orElse(false)) {
			throw new LauncherException("the launcher (pid " + pid + ") did not stop within 90 s; kill it with kill " + pid);
		}
		out.println("[vigil] stopped");
		return 0;
	}

	private int status() {
		Optional<ControlClient> client = ControlClient.connect(config.dataDir());
		if (client.isEmpty()) {
			out.println("vigil: not running (start it with ./vigil up)");
			return 3;
		}
		JsonNode status = client.get().status();
		out.printf("%-14s %-12s %8s %6s %8s%n", "PROCESS", "STATE", "PID", "PORT", "RESTARTS");
		for (JsonNode process : status.path("processes")) {
			out.printf("%-14s %-12s %8s %6s %8d%n", process.path("name").asString(), process.path("state").asString(),
					process.path("pid").isNull() ? "-" : process.path("pid").asString(),
					process.path("port").isNull() ? "-" : process.path("port").asString(),
					process.path("restarts").asInt());
		}
		for (JsonNode service : status.path("backingServices")) {
			out.printf("%-14s %-12s %s%n", service.path("name").asString(),
					service.path("running").asBoolean() ? "RUNNING" : "STOPPED", service.path("address").asString());
		}
		return 0;
	}

	private int logs(List<String> args) {
		if (args.size() != 1) {
			return usageError("logs takes one process name, e.g. ./vigil logs orders");
		}
		Path log = config.logDir().resolve(args.get(0) + ".log");
		if (!Files.isRegularFile(log)) {
			throw new LauncherException("no log at " + log + "; names are telemetry, " + String.join(", ", Stack.SERVICES));
		}
		try {
			List<String> lines = Files.readAllLines(log);
			lines.subList(Math.max(0, lines.size() - 100), lines.size()).forEach(out::println);
		}
		catch (IOException ex) {
			throw new LauncherException("cannot read " + log + ": " + ex.getMessage(), ex);
		}
		return 0;
	}

	private int processAction(String action, List<String> args) {
		if (args.size() != 1) {
			return usageError(action + " takes one process name, e.g. ./vigil " + action + " orders");
		}
		runningClient().post("/api/processes/" + args.get(0) + "/" + action);
		out.printf("[vigil] %s %s: done%n", action, args.get(0));
		return 0;
	}

	private int infra(List<String> args) {
		if (args.size() != 2 || !Arrays.asList("stop", "start").contains(args.get(0))) {
			return usageError("usage: ./vigil infra stop|start postgres|redis|kafka");
		}
		runningClient().post("/api/infra/" + args.get(1) + "/" + args.get(0));
		out.printf("[vigil] %s %s: done%n", args.get(0), args.get(1));
		return 0;
	}

	private ControlClient runningClient() {
		return ControlClient.connect(config.dataDir())
			.orElseThrow(() -> new LauncherException("Vigil is not running; start it with ./vigil up"));
	}

	private void deleteState() {
		try {
			Files.deleteIfExists(ControlClient.LauncherState.file(config.dataDir()));
		}
		catch (IOException ignored) {
			// a stale state file is detected and removed by the next command
		}
	}

	private static long parseSeconds(String value) {
		try {
			long seconds = Long.parseLong(value);
			if (seconds > 0) {
				return seconds;
			}
		}
		catch (NumberFormatException ignored) {
			// fall through
		}
		throw new LauncherException("--timeout=" + value + " is not a number of seconds; use e.g. --timeout=300");
	}

	private static void awaitUninterruptibly(CountDownLatch latch) {
		while (true) {
			try {
				latch.await();
				return;
			}
			catch (InterruptedException ex) {
				// keep waiting: only the stop action ends `up`
			}
		}
	}

	private static void sleepQuietly(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
