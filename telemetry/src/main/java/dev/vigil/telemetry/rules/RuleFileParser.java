package dev.vigil.telemetry.rules;

import dev.vigil.telemetry.tsdb.DurationParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads Prometheus rule files ({@code rulefmt}): validates them as Prometheus does and reports every problem with the
 * file, group and rule it belongs to.
 */
public final class RuleFileParser {

	private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

	private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

	private static final Set<String> GROUP_KEYS = Set.of("name", "interval", "limit", "rules", "query_offset",
			"labels");

	private static final Set<String> RULE_KEYS = Set.of("record", "alert", "expr", "for", "keep_firing_for", "labels",
			"annotations");

	private final ExprChecker checker;

	public RuleFileParser(ExprChecker checker) {
		this.checker = checker;
	}

	/** Parses all files; fails with every error found in them, one per line. */
	public List<RuleGroup> load(List<Path> files, long defaultIntervalMillis) throws RuleLoadException {
		List<RuleGroup> groups = new ArrayList<>();
		List<String> errors = new ArrayList<>();
		for (Path f : files) {
			try {
				groups.addAll(parse(f, Files.readString(f), defaultIntervalMillis, errors));
			}
			catch (IOException e) {
				errors.add(f + ": cannot read rule file: " + e.getMessage());
			}
		}
		if (!errors.isEmpty()) {
			throw new RuleLoadException(String.join("\n", errors));
		}
		return groups;
	}

	List<RuleGroup> parse(Path file, String yaml, long defaultIntervalMillis, List<String> errors) {
		String fileName = file.toString();
		Object root;
		try {
			root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
		}
		catch (YAMLException e) {
			errors.add(fileName + ": invalid YAML: " + e.getMessage().replace('\n', ' '));
			return List.of();
		}
		List<RuleGroup> out = new ArrayList<>();
		if (root == null) {
			return out;
		}
		if (!(root instanceof Map<?, ?> top)) {
			errors.add(fileName + ": a rule file must be a mapping with a \"groups\" list");
			return out;
		}
		for (Object k : top.keySet()) {
			if (!"groups".equals(k)) {
				errors.add(fileName + ": unknown top-level field \"" + k + "\" (only \"groups\" is allowed)");
			}
		}
		Object gs = top.get("groups");
		if (gs == null) {
			return out;
		}
		if (!(gs instanceof List<?> groupList)) {
			errors.add(fileName + ": \"groups\" must be a list");
			return out;
		}
		Set<String> names = new HashSet<>();
		int gi = 0;
		for (Object g : groupList) {
			gi++;
			if (!(g instanceof Map<?, ?> gm)) {
				errors.add(fileName + ": group " + gi + " must be a mapping");
				continue;
			}
			String gname = str(gm.get("name"));
			String where = fileName + ": group \"" + gname + "\"";
			if (gname.isEmpty()) {
				errors.add(fileName + ": group " + gi + ": groupname must not be empty");
				continue;
			}
			if (!names.add(gname)) {
				errors.add(where + ": groupname is repeated in the same file");
			}
			for (Object k : gm.keySet()) {
				if (!GROUP_KEYS.contains(String.valueOf(k))) {
					errors.add(where + ": unknown field \"" + k + "\"");
				}
			}
			long interval = defaultIntervalMillis;
			if (gm.get("interval") != null) {
				try {
					interval = DurationParser.parseMillis(str(gm.get("interval")));
					if (interval <= 0) {
						throw new IllegalArgumentException("must be positive");
					}
				}
				catch (IllegalArgumentException e) {
					errors.add(where + ": invalid interval \"" + gm.get("interval") + "\": " + e.getMessage());
				}
			}
			int limit = 0;
			if (gm.get("limit") != null) {
				if (gm.get("limit") instanceof Integer n && n >= 0) {
					limit = n;
				}
				else {
					errors.add(where + ": limit must be a non-negative integer");
				}
			}
			Map<String, String> groupLabels = stringMap(gm.get("labels"), where + ": labels", errors);
			List<Rule> rules = new ArrayList<>();
			Object rs = gm.get("rules");
			if (rs != null && !(rs instanceof List<?>)) {
				errors.add(where + ": \"rules\" must be a list");
			}
			else if (rs != null) {
				int ri = 0;
				for (Object r : (List<?>) rs) {
					ri++;
					Rule rule = parseRule(r, where + ", rule " + ri, groupLabels, errors);
					if (rule != null) {
						rules.add(rule);
					}
				}
			}
			out.add(new RuleGroup(gname, fileName, interval, limit, rules));
		}
		return out;
	}

	private Rule parseRule(Object r, String where, Map<String, String> groupLabels, List<String> errors) {
		if (!(r instanceof Map<?, ?> rm)) {
			errors.add(where + ": a rule must be a mapping");
			return null;
		}
		String record = str(rm.get("record"));
		String alert = str(rm.get("alert"));
		String expr = str(rm.get("expr"));
		String id = where + (record.isEmpty() ? alert.isEmpty() ? "" : " (alert \"" + alert + "\")"
				: " (record \"" + record + "\")");
		int before = errors.size();
		for (Object k : rm.keySet()) {
			if (!RULE_KEYS.contains(String.valueOf(k))) {
				errors.add(id + ": unknown field \"" + k + "\"");
			}
		}
		if (record.isEmpty() && alert.isEmpty()) {
			errors.add(id + ": one of 'record' or 'alert' must be set");
		}
		if (!record.isEmpty() && !alert.isEmpty()) {
			errors.add(id + ": only one of 'record' and 'alert' must be set");
		}
		if (expr.isBlank()) {
			errors.add(id + ": field 'expr' must be set in rule");
		}
		else {
			String err = checker.check(expr);
			if (err != null) {
				errors.add(id + ": could not parse expression: " + err);
			}
		}
		if (!record.isEmpty()) {
			if (!METRIC_NAME.matcher(record).matches()) {
				errors.add(id + ": invalid recording rule name: " + record);
			}
			if (rm.containsKey("annotations")) {
				errors.add(id + ": invalid field 'annotations' in recording rule");
			}
			if (rm.containsKey("for")) {
				errors.add(id + ": invalid field 'for' in recording rule");
			}
			if (rm.containsKey("keep_firing_for")) {
				errors.add(id + ": invalid field 'keep_firing_for' in recording rule");
			}
		}
		Map<String, String> labels = new LinkedHashMap<>(groupLabels);
		labels.putAll(stringMap(rm.get("labels"), id + ": labels", errors));
		Map<String, String> annotations = stringMap(rm.get("annotations"), id + ": annotations", errors);
		for (String l : labels.keySet()) {
			if (!LABEL_NAME.matcher(l).matches()) {
				errors.add(id + ": invalid label name: " + l);
			}
			if (l.equals("__name__")) {
				errors.add(id + ": invalid label name: " + l);
			}
		}
		for (String a : annotations.keySet()) {
			if (!LABEL_NAME.matcher(a).matches()) {
				errors.add(id + ": invalid annotation name: " + a);
			}
		}
		long forMs = duration(rm.get("for"), id + ": for", errors);
		long keepMs = duration(rm.get("keep_firing_for"), id + ": keep_firing_for", errors);
		for (Map.Entry<String, String> e : labels.entrySet()) {
			checkTemplate(e.getValue(), id + ": label " + e.getKey(), errors);
		}
		for (Map.Entry<String, String> e : annotations.entrySet()) {
			checkTemplate(e.getValue(), id + ": annotation " + e.getKey(), errors);
		}
		if (errors.size() > before) {
			return null;
		}
		if (!record.isEmpty()) {
			return new RecordingRule(record, expr, labels);
		}
		return new AlertingRule(alert, expr, forMs, keepMs, labels, annotations);
	}

	private static void checkTemplate(String text, String where, List<String> errors) {
		try {
			Template.parse(text).expand(new Template.Data(Map.of(), Map.of(), "", 0));
		}
		catch (IllegalArgumentException e) {
			errors.add(where + ": invalid template: " + e.getMessage());
		}
	}

	private static long duration(Object v, String where, List<String> errors) {
		if (v == null) {
			return 0;
		}
		try {
			return DurationParser.parseMillis(str(v));
		}
		catch (IllegalArgumentException e) {
			errors.add(where + ": " + e.getMessage());
			return 0;
		}
	}

	private static Map<String, String> stringMap(Object v, String where, List<String> errors) {
		Map<String, String> out = new LinkedHashMap<>();
		if (v == null) {
			return out;
		}
		if (!(v instanceof Map<?, ?> m)) {
			errors.add(where + " must be a mapping of names to strings");
			return out;
		}
		m.forEach((k, val) -> out.put(String.valueOf(k), str(val)));
		return out;
	}

	private static String str(Object o) {
		return o == null ? "" : String.valueOf(o);
	}

}
