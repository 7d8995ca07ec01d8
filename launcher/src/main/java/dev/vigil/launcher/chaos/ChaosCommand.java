package dev.vigil.launcher.chaos;

import dev.vigil.launcher.LauncherException;
import dev.vigil.launcher.StackConfig;
import dev.vigil.launcher.control.ControlClient;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** `./vigil chaos list|run [NAME...]`: runs experiments against the running stack and writes a report. */
public final class ChaosCommand {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final StackConfig config;

	private final PrintStream out;

	public ChaosCommand(StackConfig config, PrintStream out) {
		this.config = config;
		this.out = out;
	}

	public int run(List<String> args) {
		Path directory = config.home().resolve("chaos/experiments");
		List<Experiment> experiments = new ExperimentLoader().loadAll(directory);
		if (args.isEmpty() || args.get(0).equals("list")) {
			experiments.forEach(e -> out.printf("%-26s %s%n", e.name(), e.description()));
			return 0;
		}
		if (!args.get(0).equals("run")) {
			throw new LauncherException("usage: ./vigil chaos list | ./vigil chaos run [NAME...]");
		}
		List<String> names = args.subList(1, args.size());
		List<Experiment> selected = experiments.stream().filter(e -> names.isEmpty() || names.contains(e.name())).toList();
		if (selected.size() < Math.max(1, names.size())) {
			throw new LauncherException("unknown experiment in " + names + "; ./vigil chaos list shows them");
		}
		ExperimentRunner runner = runner(config, System.getenv(), out);
		List<ExperimentResult> results = new ArrayList<>();
		for (Experiment experiment : selected) {
			results.add(runner.run(experiment));
		}
		String table = table(results);
		out.println();
		out.print(table);
		writeReport(results, table);
		return results.stream().allMatch(r -> r.verdict().equals("PASS")) ? 0 : 1;
	}

	/**
	 * A runner against the stack running with this configuration (found through the launcher's state file): what
	 * `./vigil chaos run` uses, and the end-to-end chaos suite too.
	 */
	public static ExperimentRunner runner(StackConfig config, Map<String, String> env, PrintStream out) {
		ControlClient control = ControlClient.connect(config.dataDir())
			.orElseThrow(() -> new LauncherException("Vigil is not running; start it with ./vigil up"));
		return new ExperimentRunner(new FaultInjector(control, env.getOrDefault("VIGIL_CHAOS_TOKEN", "vigil-chaos")),
				new PrometheusQueries(URI.create("http://127.0.0.1:" + config.port("telemetry"))),
				new OrderLedger(env.getOrDefault("VIGIL_POSTGRES_URL",
						"jdbc:postgresql://127.0.0.1:" + config.port("postgres") + "/postgres"),
						env.getOrDefault("VIGIL_POSTGRES_USER", "postgres"),
						env.getOrDefault("VIGIL_POSTGRES_PASSWORD", "postgres")),
				out, Duration.ofSeconds(1));
	}

	public static String table(List<ExperimentResult> results) {
		StringBuilder table = new StringBuilder();
		table.append("| experiment | detected | time to detect | time to recover | orders lost / duplicated | verdict |\n");
		table.append("|---|---|---|---|---|---|\n");
		for (ExperimentResult r : results) {
			table.append(String.format("| %s | %s | %s | %s | %s | %s%s |%n", r.name(), r.detected() ? "yes" : "no",
					seconds(r.timeToDetect()), seconds(r.timeToRecover()),
					r.lostOrders() < 0 ? "not checked" : r.lostOrders() + " / " + r.duplicatedOrders(), r.verdict(),
					r.notes().isEmpty() ? "" : " (" + r.notes() + ")"));
		}
		return table.toString();
	}

	private static String seconds(Duration duration) {
		return duration == null ? "—" : String.format("%.1f s", duration.toMillis() / 1000.0);
	}

	private void writeReport(List<ExperimentResult> results, String table) {
		Path dir = config.dataDir().resolve("chaos");
		String stamp = Instant.now().toString().replace(":", "-");
		try {
			Files.createDirectories(dir);
			Files.writeString(dir.resolve("report-" + stamp + ".json"), JSON.writerWithDefaultPrettyPrinter()
				.writeValueAsString(results.stream().map(r -> Map.of("experiment", r.name(), "detected", r.detected(),
						"timeToDetectSeconds", r.timeToDetect() == null ? -1 : r.timeToDetect().toMillis() / 1000.0,
						"timeToRecoverSeconds", r.timeToRecover() == null ? -1 : r.timeToRecover().toMillis() / 1000.0,
						"lostOrders", r.lostOrders(), "duplicatedOrders", r.duplicatedOrders(), "verdict", r.verdict(),
						"notes", r.notes())).toList()));
			Files.writeString(dir.resolve("report-" + stamp + ".md"), "# Chaos experiments " + stamp + "\n\n" + table);
			out.println("[chaos] report written to " + dir.resolve("report-" + stamp + ".{json,md}"));
		}
		catch (IOException ex) {
			throw new LauncherException("cannot write the chaos report to " + dir + ": " + ex.getMessage(), ex);
		}
	}

}
