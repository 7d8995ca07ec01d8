package dev.vigil.telemetry.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A command-line checker (promtool, amtool) found on the PATH. Missing locally: the test is skipped with the install
 * hint. Missing in CI ({@code CI=true}): the test fails, so CI can never go green without really checking the rules.
 *
 * <p>Shared with the slo module through this module's test jar: both check their output against the same real
 * Prometheus tools, and one lookup keeps the skip-locally / fail-in-CI rule the same everywhere.
 */
public final class ExternalTool {

	private final String name;

	private final String debianPackage;

	public ExternalTool(String name, String debianPackage) {
		this.name = name;
		this.debianPackage = debianPackage;
	}

	/** Returns the executable, or skips (locally) / fails (CI) the calling test. */
	public Path require() {
		Optional<Path> executable = findOnPath();
		String missing = this.name + " is not on the PATH; install it with `apt-get install -y " + this.debianPackage
				+ "` (Debian/Ubuntu) or from https://prometheus.io/download/";
		if (executable.isEmpty() && "true".equalsIgnoreCase(System.getenv("CI"))) {
			fail("CI=true but " + missing);
		}
		assumeTrue(executable.isPresent(), "skipped: " + missing);
		return executable.get();
	}

	private Optional<Path> findOnPath() {
		String path = System.getenv("PATH");
		if (path == null) {
			return Optional.empty();
		}
		for (String directory : path.split(File.pathSeparator)) {
			if (directory.isBlank()) {
				continue;
			}
			Path candidate = Path.of(directory, this.name);
			if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
				return Optional.of(candidate);
			}
		}
		return Optional.empty();
	}

	/** Runs the tool in {@code workingDirectory}; returns exit code and combined output. */
	public static Result run(Path workingDirectory, Path executable, String... arguments)
			throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(executable.toString());
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).directory(workingDirectory.toFile())
			.redirectErrorStream(true)
			.start();
		// Read before waiting: a full pipe would block the tool forever.
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(10, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			fail(String.join(" ", command) + " did not finish within 10 minutes");
		}
		return new Result(process.exitValue(), String.join(" ", command), output);
	}

	public record Result(int exitCode, String command, String output) {

		public String describe() {
			return "`" + this.command + "` exited " + this.exitCode + ":\n" + this.output;
		}

	}

}
