package dev.vigil.launcher.chaos;

import dev.vigil.launcher.LauncherException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/** Reads experiment YAML files; every error names the file and the field. */
public final class ExperimentLoader {

	static final Set<String> SERVICE_FAULTS = Set.of("latency", "error", "exception", "cpu", "memory", "slow-db",
			"dependency-failure");

	static final Set<String> INFRA_FAULTS = Set.of("kill", "crash", "pause", "postgres-stop", "redis-stop", "kafka-stop");

	public List<Experiment> loadAll(Path directory) {
		if (!Files.isDirectory(directory)) {
			throw new LauncherException("no experiments directory at " + directory);
		}
		try (Stream<Path> files = Files.list(directory)) {
			List<Path> yamls = files.filter(file -> file.toString().endsWith(".yaml")).sorted().toList();
			List<Experiment> experiments = new ArrayList<>();
			for (Path file : yamls) {
				experiments.add(load(file));
			}
			return experiments;
		}
		catch (IOException ex) {
			throw new LauncherException("cannot list " + directory + ": " + ex.getMessage(), ex);
		}
	}

	public Experiment load(Path file) {
		Object root;
		try {
			root = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
		}
		catch (IOException | YAMLException ex) {
			throw new LauncherException(file + ": cannot read YAML: " + ex.getMessage(), ex);
		}
		return parse(map(root, file + ""), file.getFileName().toString());
	}

	Experiment parse(Map<String, Object> raw, String file) {
		String name = string(raw, "name", file);
		List<Experiment.SteadyStateCheck> checks = new ArrayList<>();
		if (raw.get("steadyState") instanceof List<?> list) {
			for (int i = 0; i < list.size(); i++) {
				String where = file + ": steadyState[" + i + "]";
				Map<String, Object> check = map(list.get(i), where);
				checks.add(new Experiment.SteadyStateCheck(string(check, "query", where),
						number(check.getOrDefault("min", Double.NEGATIVE_INFINITY), where + ".min"),
						number(check.getOrDefault("max", Double.POSITIVE_INFINITY), where + ".max")));
			}
		}
		Map<String, Object> fault = map(raw.get("fault"), file + ": fault");
		String kind = string(fault, "kind", file + ": fault");
		if (!SERVICE_FAULTS.contains(kind) && !INFRA_FAULTS.contains(kind)) {
			throw new LauncherException(file + ": fault.kind \"" + kind + "\" is unknown; use one of " + SERVICE_FAULTS
					+ " or " + INFRA_FAULTS);
		}
		String target = kind.endsWith("-stop") ? kind.substring(0, kind.length() - "-stop".length())
				: string(fault, "target", file + ": fault");
		Duration duration = duration(fault.get("duration"), file + ": fault.duration");
		Map<String, Object> parameters = new java.util.LinkedHashMap<>(fault);
		parameters.keySet().removeAll(Set.of("kind", "target", "duration"));

		Map<String, Object> expect = raw.containsKey("expect") ? map(raw.get("expect"), file + ": expect") : Map.of();
		String alert = expect.get("alert") == null ? null : String.valueOf(expect.get("alert"));
		Duration detect = duration(expect.getOrDefault("detectWithin", "60s"), file + ": expect.detectWithin");
		Duration recover = duration(expect.getOrDefault("recoverWithin", "120s"), file + ": expect.recoverWithin");
		boolean noLost = !Boolean.FALSE.equals(expect.get("noLostOrders"));
		return new Experiment(name, String.valueOf(raw.getOrDefault("description", "")), List.copyOf(checks),
				new Experiment.FaultSpec(kind, target, duration, Map.copyOf(parameters)),
				new Experiment.Expectations(alert, detect, recover, noLost));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value, String where) {
		if (value instanceof Map<?, ?> map) {
			return (Map<String, Object>) map;
		}
		throw new LauncherException(where + " must be a mapping");
	}

	private static String string(Map<String, Object> raw, String field, String where) {
		Object value = raw.get(field);
		if (value == null || String.valueOf(value).isBlank()) {
			throw new LauncherException(where + ": " + field + " is missing");
		}
		return String.valueOf(value);
	}

	private static double number(Object value, String where) {
		if (value instanceof Number number) {
			return number.doubleValue();
		}
		throw new LauncherException(where + " must be a number, not " + value);
	}

	static Duration duration(Object value, String where) {
		String text = String.valueOf(value).trim();
		try {
			Duration duration = Duration.parse("PT" + text.toUpperCase());
			if (!duration.isNegative() && !duration.isZero()) {
				return duration;
			}
		}
		catch (java.time.format.DateTimeParseException ex) {
			// fall through to the message
		}
		throw new LauncherException(where + " is \"" + text + "\"; use a duration like 30s, 2m or 1m30s");
	}

}
