package dev.vigil.remediator.webhook;

import java.util.List;
import java.util.Map;

/**
 * The Alertmanager webhook payload, version 4
 * (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config). Fields we do not act on are kept for the
 * audit trail.
 */
public record AlertmanagerPayload(String version, String groupKey, String status, String receiver,
		Map<String, String> groupLabels, Map<String, String> commonLabels, Map<String, String> commonAnnotations,
		String externalURL, List<Alert> alerts) {

}
