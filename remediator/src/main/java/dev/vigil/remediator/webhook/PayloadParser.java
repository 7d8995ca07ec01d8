package dev.vigil.remediator.webhook;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parses and validates a webhook body by hand rather than by data binding, so that every malformed payload gets a
 * message naming the field that is wrong ("alerts[2].labels.alertname is missing") instead of a generic 400.
 */
final class PayloadParser {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** Thrown for a payload we refuse; the message is shown to the caller. */
	static final class InvalidPayloadException extends RuntimeException {

		InvalidPayloadException(String message) {
			super(message);
		}

	}

	AlertmanagerPayload parse(String body) {
		JsonNode root;
		try {
			root = JSON.readTree(body);
		}
		catch (JacksonException ex) {
			throw new InvalidPayloadException("body is not JSON: " + ex.getOriginalMessage());
		}
		if (root == null || !root.isObject()) {
			throw new InvalidPayloadException("body must be a JSON object (an Alertmanager webhook payload)");
		}
		String version = text(root, "version", "version");
		if (!"4".equals(version)) {
			throw new InvalidPayloadException("version is \"" + version + "\"; only Alertmanager webhook version \"4\" is supported");
		}
		JsonNode alerts = root.get("alerts");
		if (alerts == null || !alerts.isArray() || alerts.isEmpty()) {
			throw new InvalidPayloadException("alerts must be a non-empty array");
		}
		List<Alert> parsed = new ArrayList<>();
		for (int i = 0; i < alerts.size(); i++) {
			parsed.add(alert(alerts.get(i), "alerts[" + i + "]"));
		}
		return new AlertmanagerPayload(version, optionalText(root, "groupKey"), optionalText(root, "status"),
				optionalText(root, "receiver"), labels(root.get("groupLabels"), "groupLabels", false),
				labels(root.get("commonLabels"), "commonLabels", false),
				labels(root.get("commonAnnotations"), "commonAnnotations", false), optionalText(root, "externalURL"),
				parsed);
	}

	private Alert alert(JsonNode node, String where) {
		if (node == null || !node.isObject()) {
			throw new InvalidPayloadException(where + " must be an object");
		}
		String status = text(node, "status", where + ".status");
		if (!status.equals("firing") && !status.equals("resolved")) {
			throw new InvalidPayloadException(where + ".status is \"" + status + "\"; expected firing or resolved");
		}
		Map<String, String> labels = labels(node.get("labels"), where + ".labels", true);
		if (!labels.containsKey("alertname")) {
			throw new InvalidPayloadException(where + ".labels.alertname is missing");
		}
		Instant startsAt = instant(node, "startsAt", where);
		Instant endsAt = node.hasNonNull("endsAt") ? instant(node, "endsAt", where) : null;
		String fingerprint = optionalText(node, "fingerprint");
		if (fingerprint == null || fingerprint.isBlank()) {
			// Alertmanager always sends one; vigil-telemetry too. Derive a stable one for hand-written payloads.
			fingerprint = Integer.toHexString(new TreeMap<>(labels).toString().hashCode());
		}
		return new Alert(status, labels, labels(node.get("annotations"), where + ".annotations", false), startsAt, endsAt,
				optionalText(node, "generatorURL"), fingerprint);
	}

	private static Map<String, String> labels(JsonNode node, String where, boolean required) {
		if (node == null || node.isNull()) {
			if (required) {
				throw new InvalidPayloadException(where + " is missing");
			}
			return Map.of();
		}
		if (!node.isObject()) {
			throw new InvalidPayloadException(where + " must be an object of string values");
		}
		Map<String, String> labels = new HashMap<>();
		for (Map.Entry<String, JsonNode> entry : node.properties()) {
			if (!entry.getValue().isString()) {
				throw new InvalidPayloadException(where + "." + entry.getKey() + " must be a string");
			}
			labels.put(entry.getKey(), entry.getValue().asString());
		}
		return labels;
	}

	private static Instant instant(JsonNode node, String field, String where) {
		String value = text(node, field, where + "." + field);
		try {
			return Instant.parse(value);
		}
		catch (DateTimeParseException ex) {
			throw new InvalidPayloadException(where + "." + field + " is \"" + value + "\"; expected RFC 3339, e.g. 2026-01-02T15:04:05Z");
		}
	}

	private static String text(JsonNode node, String field, String where) {
		JsonNode value = node.get(field);
		if (value == null || !value.isString()) {
			throw new InvalidPayloadException(where + " is missing or not a string");
		}
		return value.asString();
	}

	private static String optionalText(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && value.isString()) ? value.asString() : null;
	}

}
