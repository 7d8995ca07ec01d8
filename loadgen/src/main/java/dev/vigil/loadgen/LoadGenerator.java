package dev.vigil.loadgen;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Locale;

/**
 * Command-line entry point: {@code java -jar vigil-loadgen.jar --rate 200/s --duration 60s}. See {@code --help}.
 * The launcher's {@code ./vigil load ...} calls {@link #run(String[], PrintStream, PrintStream)} with the same args.
 */
public final class LoadGenerator {

	/** Exit code: the run passed its thresholds (or had none). */
	public static final int PASSED = 0;

	/** Exit code: a threshold was breached, or the run could not start against the target. */
	public static final int FAILED = 1;

	/** Exit code: bad command line. */
	public static final int USAGE = 2;

	private LoadGenerator() {
	}

	public static void main(String[] args) {
		System.exit(run(args, System.out, System.err));
	}

	/** Runs the CLI without exiting the JVM; returns the exit code. */
	public static int run(String[] args, PrintStream out, PrintStream err) {
		CliOptions options;
		try {
			options = CliOptions.parse(args);
		}
		catch (CliOptions.UsageException e) {
			err.println("vigil load: " + e.getMessage());
			err.println("  fix: " + e.fix);
			return USAGE;
		}
		catch (IllegalArgumentException e) { // a config invariant the parser did not pre-check
			err.println("vigil load: " + e.getMessage());
			err.println("  fix: see --help");
			return USAGE;
		}
		if (options.help) {
			out.print(CliOptions.USAGE);
			return PASSED;
		}
		LoadConfig config = options.config;
		if (!options.quiet) {
			config = config.toBuilder().progress(p -> out.println(progressLine(p))).build();
		}
		out.println("vigil load: " + options.scenario + " against " + config.target() + ", "
				+ config.profile().describe() + " for " + Units.formatDuration(config.duration()) + ", max in-flight "
				+ config.maxInFlight());
		LoadReport report;
		try {
			report = LoadRun.run(config);
		}
		catch (LoadRun.LoadRunException e) {
			err.println("vigil load: the run could not start: " + e.getMessage());
			err.println("  fix: check that " + config.target() + " is up (./vigil status), or point --target elsewhere");
			return FAILED;
		}
		out.print(summary(report));
		if (options.report != null) {
			try {
				if (options.report.getParent() != null) {
					Files.createDirectories(options.report.getParent());
				}
				Files.writeString(options.report, report.toJson(options.thresholds));
				out.println("report written to " + options.report);
			}
			catch (IOException e) {
				err.println("vigil load: cannot write the report to " + options.report + ": " + e.getMessage());
				err.println("  fix: choose a writable --report path");
				return FAILED;
			}
		}
		List<String> breaches = report.breaches(options.thresholds);
		if (!breaches.isEmpty()) {
			breaches.forEach(b -> out.println("FAILED: " + b));
			return FAILED;
		}
		if (options.thresholds.maxP99() != null || options.thresholds.maxErrorRate() != null) {
			out.println("PASSED: all thresholds met");
		}
		return PASSED;
	}

	static String progressLine(Progress p) {
		double errorPct = p.completed() == 0 ? 0 : 100.0 * p.errors() / p.completed();
		return String.format(Locale.ROOT,
				"%6.0fs  sent %8.1f/s  in-flight %5d  p50 %8.2f ms  p99 %8.2f ms  errors %d (%.2f%%)  dropped %d",
				p.elapsed().toMillis() / 1000.0, p.sentPerSecond(), p.inFlight(), p.p50Millis(), p.p99Millis(),
				p.errors(), errorPct, p.dropped());
	}

	static String summary(LoadReport r) {
		StringBuilder sb = new StringBuilder();
		sb.append(String.format(Locale.ROOT, "%n%-10s %9s %9s %8s %6s %8s %9s %9s %9s %9s %9s %9s%n", "scenario",
				"count", "rate/s", "errors", "429", "dropped", "p50 ms", "p90 ms", "p95 ms", "p99 ms", "p99.9 ms",
				"max ms"));
		for (LoadReport.ScenarioReport s : r.scenarios()) {
			row(sb, s);
		}
		if (r.scenarios().size() > 1) {
			row(sb, r.overall());
		}
		LoadReport.ScenarioReport all = r.overall();
		sb.append(String.format(Locale.ROOT,
				"%nscheduled %d, sent %d, dropped by generator %d, unfinished %d, error rate %.2f%%, "
						+ "max scheduler lag %.1f ms, elapsed %.1fs%n",
				r.scheduled(), all.sent(), all.dropped(), r.unfinished(), all.errorRate() * 100,
				r.maxSchedulerLagMillis(), r.elapsed().toMillis() / 1000.0));
		if (r.maxSchedulerLagMillis() > 50) {
			sb.append(String.format(Locale.ROOT, "  warning: the generator itself sent up to %.0f ms late (short of CPU?);"
					+ " latencies include that delay, so treat the tail with care%n", r.maxSchedulerLagMillis()));
		}
		all.statusCounts().forEach((code, count) -> {
			if (code < 200 || code > 299) {
				sb.append("  status ").append(code == 0 ? "other" : code).append(": ").append(count).append('\n');
			}
		});
		if (all.timeouts() > 0 || all.ioErrors() > 0) {
			sb.append("  timeouts: ").append(all.timeouts()).append(", connection errors: ").append(all.ioErrors())
					.append('\n');
		}
		return sb.toString();
	}

	private static void row(StringBuilder sb, LoadReport.ScenarioReport s) {
		LoadReport.Latency l = s.latency();
		sb.append(String.format(Locale.ROOT, "%-10s %9d %9.1f %8d %6d %8d %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f%n",
				s.name(), s.completed(), s.ratePerSecond(), s.errors(), s.rateLimited(), s.dropped(), l.p50(), l.p90(),
				l.p95(), l.p99(), l.p999(), l.max()));
	}
}
