package dev.vigil.telemetry.rules;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs rule groups on their intervals and answers {@code /api/v1/rules} and {@code /api/v1/alerts} in Prometheus's
 * JSON shape. Evaluation is separate from scheduling ({@link #evalAll(long)}) so tests and {@code test-rules} drive
 * time explicitly.
 */
public final class RuleManager implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(RuleManager.class);

	private static final ObjectMapper JSON = JsonMapper.builder().build();

	private final List<RuleGroup> groups;
	private final QueryFunc query;
	private final SeriesWriter writer;
	private final AlertListener listener;
	private final Map<String, String> externalLabels;
	private final String externalURL;
	private final ForStateRestore restore;
	private ScheduledExecutorService scheduler;

	public RuleManager(List<RuleGroup> groups, QueryFunc query, SeriesWriter writer, AlertListener listener,
			Map<String, String> externalLabels, String externalURL) {
		this(groups, query, writer, listener, externalLabels, externalURL, null);
	}

	/**
	 * Like the other constructor; with a non-null {@code restore}, pending and firing alerts get their {@code for}
	 * state back from the stored {@code ALERTS_FOR_STATE} series after each group's second evaluation, as Prometheus
	 * does on start (the storage must be the one the previous process wrote, i.e. persisted).
	 */
	public RuleManager(List<RuleGroup> groups, QueryFunc query, SeriesWriter writer, AlertListener listener,
			Map<String, String> externalLabels, String externalURL, ForStateRestore restore) {
		this.groups = List.copyOf(groups);
		this.query = query;
		this.writer = writer;
		this.listener = listener;
		this.externalLabels = externalLabels;
		this.externalURL = externalURL;
		this.restore = restore;
		if (restore != null) {
			for (RuleGroup g : this.groups) {
				g.awaitRestore();
			}
		}
	}

	public List<RuleGroup> groups() {
		return groups;
	}

	/** Starts evaluating every group at its interval, reading time from {@code clock} (milliseconds). */
	public synchronized void start(LongSupplier clock) {
		if (scheduler != null || groups.isEmpty()) {
			return;
		}
		scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, "rule-eval");
			t.setDaemon(true);
			return t;
		});
		for (RuleGroup g : groups) {
			// aligned to the interval, as Prometheus does, so evaluations land on round timestamps
			long now = clock.getAsLong();
			long delay = g.intervalMillis - Math.floorMod(now, g.intervalMillis);
			scheduler.scheduleAtFixedRate(() -> {
				try {
					evalGroup(g, clock.getAsLong());
				}
				catch (RuntimeException e) {
					log.warn("rule group {} evaluation failed", g.name, e);
				}
			}, delay, g.intervalMillis, TimeUnit.MILLISECONDS);
		}
	}

	/** Evaluates every group once at {@code ts}. */
	public void evalAll(long ts) {
		for (RuleGroup g : groups) {
			evalGroup(g, ts);
		}
	}

	public void evalGroup(RuleGroup g, long ts) {
		g.eval(ts, query, writer, externalLabels, externalURL);
		if (restore != null && g.restoreDue()) {
			// at the evaluation's timestamp (Prometheus uses the wall clock right after it): deterministic in tests
			restore.restore(g, ts);
		}
		List<Alert.Snapshot> toSend = new ArrayList<>();
		for (Alert.Snapshot a : g.alerts()) {
			if (a.state() == Alert.State.FIRING || (a.state() == Alert.State.INACTIVE && a.firedAtMillis() != 0)) {
				toSend.add(a);
			}
		}
		listener.onEvaluation(g, ts, toSend);
	}

	/** Rule evaluations and failures since start, for self-monitoring. */
	public long[] evaluationCounts() {
		long evals = 0;
		long fails = 0;
		for (RuleGroup g : groups) {
			evals += g.evaluations.get();
			fails += g.failures.get();
		}
		return new long[] { evals, fails };
	}

	/** All pending and firing alerts. */
	public List<Alert.Snapshot> activeAlerts() {
		List<Alert.Snapshot> out = new ArrayList<>();
		for (RuleGroup g : groups) {
			for (Alert.Snapshot a : g.alerts()) {
				if (a.state() != Alert.State.INACTIVE) {
					out.add(a);
				}
			}
		}
		return out;
	}

	/** The body of {@code /api/v1/rules}; {@code type} is "", "alert" or "record". */
	public String rulesJson(String type) {
		List<Object> gs = new ArrayList<>();
		for (RuleGroup g : groups) {
			Map<String, Object> gj = new LinkedHashMap<>();
			gj.put("name", g.name);
			gj.put("file", g.file);
			List<Object> rules = new ArrayList<>();
			for (Rule r : g.rules) {
				Map<String, Object> rj = new LinkedHashMap<>();
				if (r instanceof AlertingRule a) {
					if (type.equals("record")) {
						continue;
					}
					rj.put("state", a.state());
					rj.put("name", a.name);
					rj.put("query", a.expr);
					rj.put("duration", a.forMillis / 1000.0);
					rj.put("keepFiringFor", a.keepFiringForMillis / 1000.0);
					rj.put("labels", a.labels);
					rj.put("annotations", a.annotations);
					List<Object> alerts = new ArrayList<>();
					for (Alert.Snapshot s : a.alerts()) {
						if (s.state() != Alert.State.INACTIVE) {
							alerts.add(alertJson(s));
						}
					}
					rj.put("alerts", alerts);
				}
				else {
					if (type.equals("alert")) {
						continue;
					}
					rj.put("name", r.name);
					rj.put("query", r.expr);
					rj.put("labels", r.labels);
				}
				rj.put("health", r.health());
				if (!r.lastError().isEmpty()) {
					rj.put("lastError", r.lastError());
				}
				rj.put("evaluationTime", r.evaluationSeconds());
				rj.put("lastEvaluation", time(r.lastEvaluationMillis()));
				rj.put("type", r instanceof AlertingRule ? "alerting" : "recording");
				rules.add(rj);
			}
			gj.put("rules", rules);
			gj.put("interval", g.intervalMillis / 1000.0);
			gj.put("limit", g.limit);
			gj.put("evaluationTime", g.evaluationSeconds());
			gj.put("lastEvaluation", time(g.lastEvaluationMillis()));
			gs.add(gj);
		}
		return JSON.writeValueAsString(success(Map.of("groups", gs)));
	}

	/** The body of {@code /api/v1/alerts}. */
	public String alertsJson() {
		List<Object> alerts = new ArrayList<>();
		for (Alert.Snapshot s : activeAlerts()) {
			alerts.add(alertJson(s));
		}
		return JSON.writeValueAsString(success(Map.of("alerts", alerts)));
	}

	private static Map<String, Object> alertJson(Alert.Snapshot s) {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("labels", s.labels().toMap());
		m.put("annotations", s.annotations());
		m.put("state", s.state().apiName());
		m.put("activeAt", time(s.activeAtMillis()));
		if (s.keepFiringSinceMillis() != 0) {
			m.put("keepFiringSince", time(s.keepFiringSinceMillis()));
		}
		m.put("value", GoFormat.e(s.value()));
		return m;
	}

	static String time(long millis) {
		return millis == 0 ? "0001-01-01T00:00:00Z" : Instant.ofEpochMilli(millis).toString();
	}

	@Override
	public synchronized void close() {
		if (scheduler != null) {
			scheduler.shutdownNow();
			scheduler = null;
		}
	}


	private static Map<String, Object> success(Object data) {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("status", "success");
		m.put("data", data);
		return m;
	}

}
