package dev.vigil.remediator.webhook;

import java.time.Instant;
import java.util.Map;

/** One alert of an Alertmanager webhook (payload version 4), validated. */
public record Alert(String status, Map<String, String> labels, Map<String, String> annotations, Instant startsAt,
		Instant endsAt, String generatorURL, String fingerprint) {

	public Alert {
		labels = Map.copyOf(labels);
		annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
	}

	public String name() {
		return labels.getOrDefault("alertname", "");
	}

	public boolean firing() {
		return "firing".equals(status);
	}

}
