package dev.vigil.telemetry.logs;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code | json} and {@code | logfmt}: labels extracted from the line, as Loki's parsers name them. */
final class LineParsers {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private LineParsers() {
	}

	/**
	 * Flattens a JSON object: nested keys joined by '_', names sanitized, arrays skipped (Loki's json parser without
	 * expressions does the same). A line that is not a JSON object sets {@code __error__="JSONParserErr"}.
	 */
	static void json(String line, LabelSet labels) {
		JsonNode root;
		try {
			root = JSON.readTree(line);
		}
		catch (JacksonException ex) {
			root = null;
		}
		if (root == null || !root.isObject()) {
			labels.put("__error__", "JSONParserErr");
			return;
		}
		flatten("", root, labels);
	}

	private static void flatten(String prefix, JsonNode node, LabelSet labels) {
		for (var field : node.properties()) {
			String name = prefix + OtlpLogMapping.sanitize(field.getKey());
			JsonNode value = field.getValue();
			if (value.isObject()) {
				flatten(name + "_", value, labels);
			}
			else if (value.isValueNode() && !value.isNull()) {
				labels.putExtracted(name, value.isString() ? value.stringValue() : value.toString());
			}
		}
	}

	/** {@code key=value key2="quoted value" flag}; a bare key gets "". */
	static void logfmt(String line, LabelSet labels) {
		int i = 0;
		int n = line.length();
		while (i < n) {
			while (i < n && line.charAt(i) <= ' ') {
				i++;
			}
			int keyStart = i;
			while (i < n && line.charAt(i) > ' ' && line.charAt(i) != '=' && line.charAt(i) != '"') {
				i++;
			}
			if (i == keyStart) {
				if (i < n) { // a stray quote or '=': not logfmt
					labels.put("__error__", "LogfmtParserErr");
					return;
				}
				break;
			}
			String key = OtlpLogMapping.sanitize(line.substring(keyStart, i));
			String value = "";
			if (i < n && line.charAt(i) == '=') {
				i++;
				if (i < n && line.charAt(i) == '"') {
					StringBuilder quoted = new StringBuilder();
					i++;
					boolean closed = false;
					while (i < n) {
						char c = line.charAt(i++);
						if (c == '\\' && i < n) {
							char e = line.charAt(i++);
							quoted.append(switch (e) {
								case 'n' -> '\n';
								case 't' -> '\t';
								default -> e;
							});
						}
						else if (c == '"') {
							closed = true;
							break;
						}
						else {
							quoted.append(c);
						}
					}
					if (!closed) {
						labels.put("__error__", "LogfmtParserErr");
						return;
					}
					value = quoted.toString();
				}
				else {
					int valueStart = i;
					while (i < n && line.charAt(i) > ' ') {
						i++;
					}
					value = line.substring(valueStart, i);
				}
			}
			labels.putExtracted(key, value);
		}
	}

}
