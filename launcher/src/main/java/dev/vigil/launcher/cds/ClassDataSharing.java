package dev.vigil.launcher.cds;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Faster service start-up with Class Data Sharing, as Spring Boot documents it: extract the jar once into the layout
 * the JVM can map, run the application once with {@code -XX:ArchiveClassesAtExit} until its context is refreshed
 * ({@code spring.context.exit=onRefresh}: no port is bound, no listener started), and start it from the archive ever
 * after. Archives are keyed by the jar's size and time stamp, so a rebuild makes a new one. Anything that goes wrong
 * here only costs speed: the service then starts from its plain jar.
 */
public final class ClassDataSharing {

	private final Path cacheDir;

	private final PrintStream out;

	public ClassDataSharing(Path cacheDir, PrintStream out) {
		this.cacheDir = cacheDir;
		this.out = out;
	}

	/**
	 * The arguments that replace {@code -jar <jar>} for this service: from the archive when there is one (making it
	 * first if needed), else the plain jar.
	 */
	public List<String> launchArguments(String name, Path java, List<String> javaOptions, Path jar,
			Map<String, String> environment) {
		try {
			Path dir = cacheDir.resolve(name + "-" + Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis());
			Path extracted = dir.resolve(jar.getFileName());
			Path archive = dir.resolve("app.jsa");
			if (!Files.isRegularFile(archive)) {
				train(name, java, javaOptions, jar, environment, dir, extracted, archive);
			}
			if (Files.isRegularFile(archive) && Files.isRegularFile(extracted)) {
				return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-jar",
						extracted.toString());
			}
		}
		catch (IOException | RuntimeException ex) {
			out.printf("[vigil] %-14s class data sharing unavailable (%s); starting from the plain jar%n", name,
					ex.getMessage());
		}
		return List.of("-jar", jar.toString());
	}

	private void train(String name, Path java, List<String> javaOptions, Path jar, Map<String, String> environment,
			Path dir, Path extracted, Path archive) throws IOException {
		out.printf("[vigil] %-14s preparing a class data sharing archive (first start after a build only)%n", name);
		Files.createDirectories(dir);
		run(List.of(java.toString(), "-Djarmode=tools", "-jar", jar.toString(), "extract", "--force", "--destination",
				dir.toString()), Map.of(), dir.resolve("extract.log"), 120);
		List<String> training = new ArrayList<>();
		training.add(java.toString());
		training.addAll(javaOptions);
		training.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-Dspring.context.exit=onRefresh", "-jar",
				extracted.toString()));
		run(training, environment, dir.resolve("training.log"), 300);
	}

	private static void run(List<String> command, Map<String, String> environment, Path log, long timeoutSeconds)
			throws IOException {
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
		builder.environment().putAll(environment);
		Process process = builder.start();
		try {
			if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IOException(command.get(command.size() - 1) + " did not finish within " + timeoutSeconds + " s");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			process.destroyForcibly();
			throw new IOException("interrupted");
		}
	}

}
