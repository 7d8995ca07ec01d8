package dev.vigil.remediator.guard;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The brakes on automation: a per-target cooldown and rate limits (global and per target) over a sliding window. A
 * remediator without them turns one flapping alert into a restart storm. Not thread-safe: the engine serializes.
 */
public final class ActionGuards {

	private final Duration cooldown;

	private final Duration window;

	private final int maxPerWindow;

	private final int maxPerTargetPerWindow;

	private final Deque<Instant> recent = new ArrayDeque<>();

	private final Map<String, Deque<Instant>> recentByTarget = new HashMap<>();

	public ActionGuards(Duration cooldown, Duration window, int maxPerWindow, int maxPerTargetPerWindow) {
		this.cooldown = cooldown;
		this.window = window;
		this.maxPerWindow = maxPerWindow;
		this.maxPerTargetPerWindow = maxPerTargetPerWindow;
	}

	/** Why an action on {@code target} must not happen now, or empty when it may. */
	public Optional<String> refusal(String target, Instant now) {
		evictOlderThan(now.minus(window));
		Deque<Instant> targetRecent = recentByTarget.getOrDefault(target, new ArrayDeque<>());
		if (!targetRecent.isEmpty()) {
			Duration since = Duration.between(targetRecent.peekLast(), now);
			if (since.compareTo(cooldown) < 0) {
				return Optional.of("cooldown: last action on " + target + " " + since.toSeconds() + " s ago (cooldown "
						+ cooldown.toSeconds() + " s)");
			}
		}
		if (targetRecent.size() >= maxPerTargetPerWindow) {
			return Optional.of("rate limit: " + targetRecent.size() + " actions on " + target + " in the last "
					+ window.toMinutes() + " min (max " + maxPerTargetPerWindow + ")");
		}
		if (recent.size() >= maxPerWindow) {
			return Optional.of("rate limit: " + recent.size() + " actions in the last " + window.toMinutes()
					+ " min (max " + maxPerWindow + ")");
		}
		return Optional.empty();
	}

	public void record(String target, Instant now) {
		recent.addLast(now);
		recentByTarget.computeIfAbsent(target, key -> new ArrayDeque<>()).addLast(now);
	}

	private void evictOlderThan(Instant oldest) {
		while (!recent.isEmpty() && recent.peekFirst().isBefore(oldest)) {
			recent.removeFirst();
		}
		recentByTarget.values().forEach(times -> {
			while (!times.isEmpty() && times.peekFirst().isBefore(oldest)) {
				times.removeFirst();
			}
		});
		recentByTarget.values().removeIf(Deque::isEmpty);
	}

}
