package dev.vigil.telemetry.notifier;

import dev.vigil.telemetry.rules.Alert;
import dev.vigil.telemetry.rules.AlertListener;
import dev.vigil.telemetry.rules.RuleGroup;
import dev.vigil.telemetry.tsdb.Labels;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Plays Alertmanager's part for local mode: groups the alerts it gets from rule evaluation by the {@code group_by}
 * labels and posts webhook payloads (version 4) to every receiver, honouring {@code group_wait},
 * {@code group_interval} and {@code repeat_interval}, and sending resolved notifications. Delivery runs on its own
 * thread from a bounded queue, with retries and exponential back-off; what cannot be queued or delivered is
 * counted.
 *
 * <p>Grouping decisions happen in {@link #flush(long)}, which a timer calls every 250 ms; tests call it with explicit
 * times.
 */
public final class Notifier implements AlertListener, AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(Notifier.class);

	private static final ObjectMapper JSON = JsonMapper.builder().build();

	private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

	private final NotifierConfig config;
	private final LongSupplier clock;
	private final HttpClient http;
	private final Map<String, AlertGroup> groups = new LinkedHashMap<>();
	private final BlockingQueue<Delivery> queue;
	private final ScheduledExecutorService timer;
	private final Thread sender;
	private volatile boolean closed;
	private final LongAdder sent = new LongAdder();
	private final LongAdder failed = new LongAdder();
	private final LongAdder dropped = new LongAdder();

	private record Delivery(URI receiver, String body, String groupKey) {
	}

	private Notifier(NotifierConfig config, LongSupplier clock, boolean startTimer) {
		this.config = config;
		this.clock = clock;
		this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
		this.sender = new Thread(this::sendLoop, "notifier-send");
		this.sender.setDaemon(true);
		this.sender.start();
		if (startTimer) {
			timer = Executors.newSingleThreadScheduledExecutor(r -> {
				Thread t = new Thread(r, "notifier-flush");
				t.setDaemon(true);
				return t;
			});
			timer.scheduleWithFixedDelay(() -> {
				try {
					flush(clock.getAsLong());
				}
				catch (RuntimeException e) {
					log.warn("notifier flush failed", e);
				}
			}, 250, 250, TimeUnit.MILLISECONDS);
		}
		else {
			timer = null;
		}
	}

	/** Starts a notifier that flushes on wall-clock time. */
	public static Notifier start(NotifierConfig config) {
		return new Notifier(config, System::currentTimeMillis, true);
	}

	/** A notifier without a timer: the caller drives {@link #flush(long)} (tests). */
	public static Notifier manual(NotifierConfig config, LongSupplier clock) {
		return new Notifier(config, clock, false);
	}

	@Override
	public synchronized void onEvaluation(RuleGroup ruleGroup, long ts, List<Alert.Snapshot> alerts) {
		// like Prometheus, a firing alert is valid for 4 evaluation intervals (at least 1m each) unless refreshed
		long validFor = 4 * Math.max(60_000, ruleGroup.intervalMillis());
		for (Alert.Snapshot a : alerts) {
			Labels groupLabels = a.labels().keep(config.groupBy());
			String gk = "{}:" + groupLabels;
			AlertGroup g = groups.get(gk);
			String fp = Fingerprint.of(a.labels());
			boolean resolved = a.state() == Alert.State.INACTIVE;
			if (g == null) {
				if (resolved) {
					continue;
				}
				g = new AlertGroup(groupLabels, ts);
				g.nextFlushAt = ts + config.groupWait().toMillis();
				groups.put(gk, g);
			}
			AlertGroup.Entry e = g.alerts.get(fp);
			if (e == null) {
				if (resolved) {
					continue;
				}
				e = new AlertGroup.Entry(a.labels(), fp);
				g.alerts.put(fp, e);
			}
			e.labels = a.labels();
			e.annotations = a.annotations();
			e.startsAt = a.firedAtMillis() != 0 ? a.firedAtMillis() : a.activeAtMillis();
			e.resolved = resolved;
			e.endsAt = resolved ? a.resolvedAtMillis() : ts + validFor;
			e.generatorURL = config.externalURL() + "/graph?g0.expr="
					+ URLEncoder.encode(a.expr(), StandardCharsets.UTF_8) + "&g0.tab=1";
		}
	}

	/** Sends the notifications due at {@code now}: the group_wait / group_interval / repeat_interval logic. */
	public synchronized void flush(long now) {
		for (Iterator<AlertGroup> it = groups.values().iterator(); it.hasNext();) {
			AlertGroup g = it.next();
			for (AlertGroup.Entry e : g.alerts.values()) {
				if (!e.resolved && e.endsAt < now) {
					// not refreshed by rule evaluation: the rule or the server went away; resolve like Alertmanager
					e.resolved = true;
				}
			}
			boolean first = g.lastNotifiedAt == Long.MIN_VALUE;
			if (now < g.nextFlushAt) {
				continue;
			}
			g.nextFlushAt = now + config.groupInterval().toMillis();
			Set<String> firing = new HashSet<>();
			boolean anyResolved = false;
			for (AlertGroup.Entry e : g.alerts.values()) {
				if (e.resolved) {
					anyResolved = true;
				}
				else {
					firing.add(e.fingerprint);
				}
			}
			boolean changed = !firing.equals(g.lastFiring) || anyResolved;
			boolean repeat = !firing.isEmpty() && now - g.lastNotifiedAt >= config.repeatInterval().toMillis();
			if (first || changed || repeat) {
				if (!(first && firing.isEmpty())) {
					enqueue(g, now);
				}
				g.lastNotifiedAt = now;
				g.lastFiring = firing;
				g.alerts.values().removeIf(e -> e.resolved);
			}
			if (g.alerts.isEmpty()) {
				it.remove();
			}
		}
	}

	private void enqueue(AlertGroup g, long now) {
		String body = payload(g);
		for (URI r : config.receivers()) {
			if (!queue.offer(new Delivery(r, body, g.key))) {
				dropped.increment();
				log.warn("notification queue full ({}); dropped notification for {}", config.queueCapacity(), g.key);
			}
		}
	}

	private String payload(AlertGroup g) {
		List<Map<String, Object>> alerts = new ArrayList<>();
		boolean anyFiring = false;
		Map<String, String> commonLabels = null;
		Map<String, String> commonAnnotations = null;
		for (AlertGroup.Entry e : g.alerts.values()) {
			anyFiring |= !e.resolved;
			Map<String, Object> a = new LinkedHashMap<>();
			a.put("status", e.resolved ? "resolved" : "firing");
			a.put("labels", e.labels.toMap());
			a.put("annotations", new java.util.TreeMap<>(e.annotations));
			a.put("startsAt", time(e.startsAt));
			// Alertmanager reports the zero time for alerts that are still firing
			a.put("endsAt", e.resolved ? time(e.endsAt) : ZERO_TIME);
			a.put("generatorURL", e.generatorURL);
			a.put("fingerprint", e.fingerprint);
			alerts.add(a);
			commonLabels = intersect(commonLabels, e.labels.toMap());
			commonAnnotations = intersect(commonAnnotations, e.annotations);
		}
		Map<String, Object> p = new LinkedHashMap<>();
		p.put("receiver", "vigil-telemetry");
		p.put("status", anyFiring ? "firing" : "resolved");
		p.put("alerts", alerts);
		p.put("groupLabels", g.groupLabels.toMap());
		p.put("commonLabels", commonLabels == null ? Map.of() : commonLabels);
		p.put("commonAnnotations", commonAnnotations == null ? Map.of() : commonAnnotations);
		p.put("externalURL", config.externalURL());
		p.put("version", "4");
		p.put("groupKey", g.key);
		p.put("truncatedAlerts", 0);
		return JSON.writeValueAsString(p);
	}

	private static Map<String, String> intersect(Map<String, String> common, Map<String, String> m) {
		if (common == null) {
			return new java.util.TreeMap<>(m);
		}
		common.entrySet().removeIf(e -> !e.getValue().equals(m.get(e.getKey())));
		return common;
	}

	private static String time(long millis) {
		return Instant.ofEpochMilli(millis).toString();
	}

	private void sendLoop() {
		while (!closed) {
			Delivery d;
			try {
				d = queue.take();
			}
			catch (InterruptedException e) {
				return;
			}
			deliver(d);
		}
	}

	/**
	 * Bearer token sent to every receiver, like Alertmanager's {@code http_config.authorization}; an environment
	 * variable rather than a flag so that it does not show in the process list.
	 */
	private static final String WEBHOOK_TOKEN = System.getenv("VIGIL_ALERT_WEBHOOK_TOKEN");

	private void deliver(Delivery d) {
		long backoff = config.initialBackoff().toMillis();
		for (int attempt = 1; attempt <= config.maxAttempts() && !closed; attempt++) {
			try {
				HttpRequest.Builder builder = HttpRequest.newBuilder(d.receiver())
					.timeout(Duration.ofSeconds(10))
					.header("Content-Type", "application/json")
					.header("User-Agent", "vigil-telemetry")
					.POST(HttpRequest.BodyPublishers.ofString(d.body()));
				if (WEBHOOK_TOKEN != null && !WEBHOOK_TOKEN.isBlank()) {
					builder.header("Authorization", "Bearer " + WEBHOOK_TOKEN);
				}
				HttpRequest req = builder.build();
				int status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
				if (status / 100 == 2) {
					sent.increment();
					return;
				}
				if (status / 100 == 4 && status != 429) {
					// the receiver rejects the payload itself: retrying cannot help (Alertmanager does the same)
					log.warn("receiver {} rejected notification for {} with status {}", d.receiver(), d.groupKey(),
							status);
					failed.increment();
					return;
				}
				log.info("receiver {} answered {} (attempt {}/{})", d.receiver(), status, attempt, config.maxAttempts());
			}
			catch (java.io.IOException e) {
				log.info("receiver {} unreachable (attempt {}/{}): {}", d.receiver(), attempt, config.maxAttempts(),
						e.toString());
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				return;
			}
			if (attempt < config.maxAttempts()) {
				try {
					Thread.sleep(backoff);
				}
				catch (InterruptedException e) {
					Thread.currentThread().interrupt();
					return;
				}
				backoff = Math.min(backoff * 2, 30_000);
			}
		}
		failed.increment();
		log.warn("giving up on notification for {} to {}", d.groupKey(), d.receiver());
	}

	/** Notifications delivered, given up on, and dropped because the queue was full. */
	public long sent() {
		return sent.sum();
	}

	public long failed() {
		return failed.sum();
	}

	public long dropped() {
		return dropped.sum();
	}

	public int queueLength() {
		return queue.size();
	}

	/** Stops flushing, gives queued notifications up to two seconds to go out (as Prometheus drains on shutdown). */
	@Override
	public void close() {
		if (timer != null) {
			timer.shutdownNow();
		}
		long deadline = System.nanoTime() + 2_000_000_000L;
		while (!queue.isEmpty() && System.nanoTime() < deadline) {
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		closed = true;
		sender.interrupt();
	}

}
