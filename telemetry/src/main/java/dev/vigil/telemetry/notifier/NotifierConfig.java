package dev.vigil.telemetry.notifier;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Alert delivery settings: an Alertmanager route with webhook receivers.
 *
 * @param receivers webhook URLs; each gets every notification
 * @param groupBy labels alerts are grouped by (Alertmanager {@code group_by})
 * @param groupWait delay before a new group's first notification
 * @param groupInterval delay between notifications about changes in a group
 * @param repeatInterval delay before re-sending an unchanged firing group
 * @param externalURL the server's URL, for {@code externalURL} and generator links
 * @param queueCapacity notifications waiting for delivery before new ones are dropped (default 1000)
 * @param maxAttempts delivery attempts per notification and receiver (default 5)
 * @param initialBackoff delay before the first retry, doubled each time up to 30s (default 500ms)
 */
public record NotifierConfig(List<URI> receivers, List<String> groupBy, Duration groupWait, Duration groupInterval,
		Duration repeatInterval, String externalURL, int queueCapacity, int maxAttempts, Duration initialBackoff) {

	public NotifierConfig {
		receivers = List.copyOf(receivers);
		groupBy = List.copyOf(groupBy);
	}

	public static NotifierConfig of(List<URI> receivers, List<String> groupBy, Duration groupWait,
			Duration groupInterval, Duration repeatInterval, String externalURL) {
		return new NotifierConfig(receivers, groupBy, groupWait, groupInterval, repeatInterval, externalURL, 1000, 5,
				Duration.ofMillis(500));
	}

}
