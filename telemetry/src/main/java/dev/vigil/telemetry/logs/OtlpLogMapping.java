package dev.vigil.telemetry.logs;

import dev.vigil.telemetry.traces.AttributeValues;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How OTLP log data maps onto Loki's model, following Loki's native OTLP ingestion: a few resource attributes become
 * index labels (names with '.' turned into '_'), everything else becomes structured metadata; the body is the line.
 */
final class OtlpLogMapping {

	static final List<String> STREAM_LABELS = List.of("deployment_environment", "job", "level", "service_name");

	private OtlpLogMapping() {
	}

	/** Index labels of a resource for one level; empty values are left out, as Loki has no empty labels. */
	static Map<String, String> streamLabels(Map<String, String> resource, String level) {
		TreeMap<String, String> labels = new TreeMap<>();
		String service = resource.getOrDefault("service.name", "");
		if (service.isEmpty()) {
			service = "unknown_service";
		}
		labels.put("service_name", service);
		String namespace = resource.getOrDefault("service.namespace", "");
		// Prometheus's OTLP translation: job = service.namespace/service.name
		labels.put("job", namespace.isEmpty() ? service : namespace + "/" + service);
		labels.put("level", level);
		String environment = resource.getOrDefault("deployment.environment.name", resource.get("deployment.environment"));
		if (environment != null && !environment.isEmpty()) {
			labels.put("deployment_environment", environment);
		}
		return labels;
	}

	/** Resource attributes that did not become labels, as sorted name/value pairs with sanitized names. */
	static String[] resourceMetadata(List<KeyValue> attributes) {
		TreeMap<String, String> metadata = new TreeMap<>();
		for (KeyValue attribute : attributes) {
			switch (attribute.getKey()) {
				case "service.name", "deployment.environment", "deployment.environment.name" -> {
				}
				default -> {
					String value = AttributeValues.text(attribute.getValue());
					if (!value.isEmpty()) {
						metadata.put(sanitize(attribute.getKey()), value);
					}
				}
			}
		}
		List<String> pairs = new ArrayList<>(metadata.size() * 2);
		metadata.forEach((name, value) -> {
			pairs.add(name);
			pairs.add(value);
		});
		return pairs.toArray(String[]::new);
	}

	/**
	 * The level label: severity text in lower case ("WARNING" → "warn" as Loki's detected_level does), or the OTLP
	 * severity-number range when there is no text; "unknown" when neither says anything.
	 */
	static String level(String severityText, int severityNumber) {
		if (!severityText.isEmpty()) {
			String lower = severityText.toLowerCase(Locale.ROOT);
			return switch (lower) {
				case "warning" -> "warn";
				case "err" -> "error";
				case "information" -> "info";
				case "critical", "crit", "emerg", "alert", "panic" -> "fatal";
				default -> lower.length() <= 16 ? lower : lower.substring(0, 16);
			};
		}
		if (severityNumber <= 0) {
			return "unknown";
		}
		if (severityNumber <= 4) {
			return "trace";
		}
		if (severityNumber <= 8) {
			return "debug";
		}
		if (severityNumber <= 12) {
			return "info";
		}
		if (severityNumber <= 16) {
			return "warn";
		}
		if (severityNumber <= 20) {
			return "error";
		}
		return "fatal";
	}

	/** The log line: string bodies verbatim; maps and arrays as JSON so `| json` can take them apart. */
	static String body(AnyValue body) {
		return switch (body.getValueCase()) {
			case STRING_VALUE -> body.getStringValue();
			case KVLIST_VALUE, ARRAY_VALUE -> json(body);
			default -> AttributeValues.text(body);
		};
	}

	private static String json(AnyValue value) {
		StringBuilder out = new StringBuilder();
		appendJson(out, value);
		return out.toString();
	}

	private static void appendJson(StringBuilder out, AnyValue value) {
		switch (value.getValueCase()) {
			case KVLIST_VALUE -> {
				out.append('{');
				List<KeyValue> values = value.getKvlistValue().getValuesList();
				for (int i = 0; i < values.size(); i++) {
					if (i > 0) {
						out.append(',');
					}
					JsonOut.string(out, values.get(i).getKey());
					out.append(':');
					appendJson(out, values.get(i).getValue());
				}
				out.append('}');
			}
			case ARRAY_VALUE -> {
				out.append('[');
				List<AnyValue> values = value.getArrayValue().getValuesList();
				for (int i = 0; i < values.size(); i++) {
					if (i > 0) {
						out.append(',');
					}
					appendJson(out, values.get(i));
				}
				out.append(']');
			}
			case INT_VALUE, BOOL_VALUE -> out.append(AttributeValues.text(value));
			case DOUBLE_VALUE -> {
				double d = value.getDoubleValue();
				if (Double.isFinite(d)) {
					out.append(d);
				}
				else {
					JsonOut.string(out, Double.toString(d));
				}
			}
			case VALUE_NOT_SET -> out.append("null");
			default -> JsonOut.string(out, AttributeValues.text(value));
		}
	}

	/** Attribute names as label names: every character outside [a-zA-Z0-9_] becomes '_' (Loki's OTLP rule). */
	static String sanitize(String name) {
		StringBuilder out = null;
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9' && i > 0);
			if (!ok) {
				if (out == null) {
					out = new StringBuilder(name.substring(0, i));
				}
				out.append('_');
			}
			else if (out != null) {
				out.append(c);
			}
		}
		String result = out == null ? name : out.toString();
		return result.isEmpty() ? "_" : result;
	}

}
