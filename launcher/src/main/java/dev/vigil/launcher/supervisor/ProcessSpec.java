package dev.vigil.launcher.supervisor;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How to run one Vigil component as its own JVM.
 *
 * @param name short name, e.g. "orders"
 * @param command the full command line
 * @param environment variables added to the launcher's own environment
 * @param readinessUrl answered with 200 once the process serves traffic
 * @param logFile where stdout and stderr go (appended)
 */
public record ProcessSpec(String name, List<String> command, Map<String, String> environment, URI readinessUrl,
		Path logFile) {

	public ProcessSpec {
		command = List.copyOf(command);
		environment = Map.copyOf(environment);
	}

}
