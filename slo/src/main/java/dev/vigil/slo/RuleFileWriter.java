package dev.vigil.slo;

import java.util.Map;

/**
 * Writes rule groups as Prometheus rule-file YAML. Hand-rolled rather than a YAML dumper so that expressions stay
 * readable block scalars and the output is byte-for-byte stable (the committed files are checked for staleness).
 */
final class RuleFileWriter {

	String write(String header, Iterable<RuleGroup> groups) {
		StringBuilder out = new StringBuilder();
		header.lines().forEach((line) -> out.append("# ").append(line).append('\n'));
		out.append("\ngroups:\n");
		for (RuleGroup group : groups) {
			out.append("- name: ").append(quote(group.name())).append('\n');
			if (group.interval() != null) {
				out.append("  interval: ").append(PrometheusDuration.format(group.interval())).append('\n');
			}
			out.append("  rules:\n");
			for (PrometheusRule rule : group.rules()) {
				writeRule(out, rule);
			}
		}
		return out.toString();
	}

	private void writeRule(StringBuilder out, PrometheusRule rule) {
		if (rule instanceof PrometheusRule.Recording recording) {
			out.append("  - record: ").append(recording.record()).append('\n');
		}
		else if (rule instanceof PrometheusRule.Alerting alerting) {
			out.append("  - alert: ").append(alerting.alert()).append('\n');
		}
		out.append("    expr: |-\n");
		rule.expr().lines().forEach((line) -> out.append(line.isBlank() ? "" : "      " + line).append('\n'));
		writeMap(out, "labels", rule.labels());
		if (rule instanceof PrometheusRule.Alerting alerting) {
			writeMap(out, "annotations", alerting.annotations());
		}
	}

	private void writeMap(StringBuilder out, String name, Map<String, String> entries) {
		if (entries.isEmpty()) {
			return;
		}
		out.append("    ").append(name).append(":\n");
		entries.forEach((key, value) -> out.append("      ").append(key).append(": ").append(quote(value)).append('\n'));
	}

	/** Double-quoted YAML scalars: always valid, whatever the value contains ({@code :}, {@code #}, {@code {{ }}}). */
	static String quote(String value) {
		StringBuilder quoted = new StringBuilder("\"");
		for (char c : value.toCharArray()) {
			switch (c) {
				case '"' -> quoted.append("\\\"");
				case '\\' -> quoted.append("\\\\");
				case '\n' -> quoted.append("\\n");
				case '\t' -> quoted.append("\\t");
				default -> quoted.append(c);
			}
		}
		return quoted.append('"').toString();
	}

}
