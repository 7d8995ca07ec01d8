package dev.vigil.slo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command line: {@code generate --specs DIR --out DIR [--time-scale demo|production|<factor>]} and
 * {@code validate --specs DIR}.
 *
 * <p>
 * Without {@code --time-scale}, {@code generate} writes both committed files, {@code slo-production.yml} and
 * {@code slo-demo.yml}; with it, only that scale's file. Either way it also writes {@code vigil-alerts-demo.yml}, the
 * demo-scale twin of the hand-written alerts ({@link AlertRuleTimeScaler}), from {@code --alerts FILE} or, by default,
 * from {@code vigil-alerts.yml} in the output directory when there is one. Exit codes: 0 success, 2 invalid spec or
 * usage, 1 I/O error.
 */
public final class SloGenerator {

	static final int OK = 0;

	static final int IO_ERROR = 1;

	static final int INVALID = 2;

	static final String USAGE = """
			usage: vigil-slo generate --specs <dir> --out <dir> [--time-scale demo|production|<factor>] [--alerts <vigil-alerts.yml>]
			       vigil-slo validate --specs <dir>
			""";

	private SloGenerator() {
	}

	public static void main(String[] args) {
		int exitCode = run(args, System.out, System.err);
		if (exitCode != OK) {
			System.exit(exitCode);
		}
	}

	static int run(String[] args, PrintStream out, PrintStream err) {
		try {
			Arguments arguments = Arguments.parse(args);
			List<OpenSloSpec> specs = new OpenSloSpecLoader().loadDirectory(arguments.specs);
			if (arguments.command.equals("validate")) {
				out.println(specs.size() + " SLO specs valid in " + arguments.specs);
				return OK;
			}
			Files.createDirectories(arguments.out);
			for (TimeScale scale : arguments.timeScales) {
				Path file = arguments.out.resolve(scale.fileName());
				Files.writeString(file, new SloRuleFileGenerator(scale).generate(specs), StandardCharsets.UTF_8);
				out.println("wrote " + file + " (" + specs.size() + " SLOs, time scale " + scale.name() + ")");
			}
			Path alerts = arguments.alerts != null ? arguments.alerts
					: arguments.out.resolve(AlertRuleTimeScaler.SOURCE_FILE);
			if (arguments.alerts != null || Files.isRegularFile(alerts)) {
				Path file = arguments.out.resolve(AlertRuleTimeScaler.DEMO_FILE);
				Files.writeString(file, new AlertRuleTimeScaler().scale(Files.readString(alerts, StandardCharsets.UTF_8)),
						StandardCharsets.UTF_8);
				out.println("wrote " + file + " (" + alerts.getFileName() + " at the demo time scale)");
			}
			return OK;
		}
		catch (InvalidSpecException | IllegalArgumentException ex) {
			err.println("error: " + ex.getMessage());
			return INVALID;
		}
		catch (IOException ex) {
			err.println("error: " + ex.getMessage());
			return IO_ERROR;
		}
	}

	private static final class Arguments {

		private String command;

		private Path specs;

		private Path out;

		private Path alerts;

		private final List<TimeScale> timeScales = new ArrayList<>();

		static Arguments parse(String[] args) {
			Arguments arguments = new Arguments();
			if (args.length == 0 || !(args[0].equals("generate") || args[0].equals("validate"))) {
				throw new IllegalArgumentException("expected a command\n" + USAGE);
			}
			arguments.command = args[0];
			for (int i = 1; i < args.length; i++) {
				String option = args[i];
				if (i + 1 >= args.length) {
					throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
				}
				String value = args[++i];
				switch (option) {
					case "--specs" -> arguments.specs = Path.of(value);
					case "--out" -> arguments.out = Path.of(value);
					case "--time-scale" -> arguments.timeScales.add(TimeScale.parse(value));
					case "--alerts" -> arguments.alerts = Path.of(value);
					default -> throw new IllegalArgumentException("unknown option " + option + "\n" + USAGE);
				}
			}
			if (arguments.specs == null) {
				throw new IllegalArgumentException("--specs is required\n" + USAGE);
			}
			if (arguments.command.equals("generate") && arguments.out == null) {
				throw new IllegalArgumentException("--out is required\n" + USAGE);
			}
			if (arguments.timeScales.isEmpty()) {
				arguments.timeScales.add(TimeScale.PRODUCTION);
				arguments.timeScales.add(TimeScale.DEMO);
			}
			return arguments;
		}

	}

}
