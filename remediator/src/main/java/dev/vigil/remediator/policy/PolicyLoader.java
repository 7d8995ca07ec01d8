package dev.vigil.remediator.policy;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/** Reads a policy YAML file (see remediator/src/main/resources/policies.yaml) with errors that name file and field. */
public final class PolicyLoader {

	private static final Set<String> TOP_LEVEL = Set.of("dryRun", "guards", "policies");

	private static final Set<String> POLICY_FIELDS = Set.of("name", "match", "action", "targetLabel", "replicas",
			"unlessFiring");

	public PolicySet load(InputStream yaml, String file) {
		Object root;
		try (yaml) {
			root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
		}
		catch (YAMLException | IOException ex) {
			throw new PolicyException(file + ": not valid YAML: " + ex.getMessage());
		}
		Map<String, Object> top = map(root, file);
		unknownKeys(top, TOP_LEVEL, file);
		Map<String, Object> guards = top.containsKey("guards") ? map(top.get("guards"), file + ": guards") : Map.of();
		List<Policy> policies = new ArrayList<>();
		Object rawPolicies = top.get("policies");
		if (!(rawPolicies instanceof List<?> list) || list.isEmpty()) {
			throw new PolicyException(file + ": policies must be a non-empty list");
		}
		for (int i = 0; i < list.size(); i++) {
			policies.add(policy(map(list.get(i), file + ": policies[" + i + "]"), file + ": policies[" + i + "]"));
		}
		return new PolicySet(Boolean.TRUE.equals(top.get("dryRun")),
				duration(guards.getOrDefault("cooldown", "5m"), file + ": guards.cooldown"),
				duration(guards.getOrDefault("window", "15m"), file + ": guards.window"),
				positive(guards.getOrDefault("maxActionsPerWindow", 5), file + ": guards.maxActionsPerWindow"),
				positive(guards.getOrDefault("maxActionsPerTargetPerWindow", 2),
						file + ": guards.maxActionsPerTargetPerWindow"),
				List.copyOf(policies));
	}

	private Policy policy(Map<String, Object> raw, String where) {
		unknownKeys(raw, POLICY_FIELDS, where);
		Object name = raw.get("name");
		if (!(name instanceof String text) || text.isBlank()) {
			throw new PolicyException(where + ".name is missing");
		}
		String at = where + " (" + name + ")";
		if (!raw.containsKey("match")) {
			throw new PolicyException(at + ".match is missing; e.g. match: {alertname: InstanceDown}");
		}
		LabelMatcher match = LabelMatcher.parse(map(raw.get("match"), at + ".match"), at + ".match");
		ActionType action = ActionType.fromYaml(String.valueOf(raw.get("action")), at + ".action");
		int replicas = action == ActionType.SCALE ? positive(raw.get("replicas"), at + ".replicas") : 0;
		List<LabelMatcher> unless = new ArrayList<>();
		if (raw.get("unlessFiring") instanceof List<?> list) {
			for (int i = 0; i < list.size(); i++) {
				String item = at + ".unlessFiring[" + i + "]";
				unless.add(LabelMatcher.parse(map(list.get(i), item), item));
			}
		}
		else if (raw.containsKey("unlessFiring")) {
			throw new PolicyException(at + ".unlessFiring must be a list of label matchers");
		}
		return new Policy(text, match, action, String.valueOf(raw.getOrDefault("targetLabel", "job")), replicas,
				List.copyOf(unless));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value, String where) {
		if (value instanceof Map<?, ?> map) {
			return (Map<String, Object>) map;
		}
		throw new PolicyException(where + " must be a mapping");
	}

	private static void unknownKeys(Map<String, Object> raw, Set<String> known, String where) {
		for (String key : raw.keySet()) {
			if (!known.contains(key)) {
				throw new PolicyException(where + ": unknown field \"" + key + "\"; known fields are " + known);
			}
		}
	}

	private static int positive(Object value, String where) {
		if (value instanceof Integer number && number > 0) {
			return number;
		}
		throw new PolicyException(where + " must be a positive whole number, not " + value);
	}

	static Duration duration(Object value, String where) {
		String text = String.valueOf(value).trim();
		try {
			long amount = Long.parseLong(text.substring(0, text.length() - 1));
			Duration duration = switch (text.charAt(text.length() - 1)) {
				case 's' -> Duration.ofSeconds(amount);
				case 'm' -> Duration.ofMinutes(amount);
				case 'h' -> Duration.ofHours(amount);
				default -> null;
			};
			if (duration != null && !duration.isNegative()) {
				return duration;
			}
		}
		catch (NumberFormatException | StringIndexOutOfBoundsException ignored) {
			// fall through to the message
		}
		throw new PolicyException(where + " is \"" + text + "\"; use a duration like 30s, 5m or 1h");
	}

}
