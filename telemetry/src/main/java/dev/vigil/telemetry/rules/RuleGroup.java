package dev.vigil.telemetry.rules;

import dev.vigil.telemetry.tsdb.Labels;
import dev.vigil.telemetry.tsdb.StaleNaN;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A rule group: rules evaluated in order at the group's interval, each seeing the results of the previous ones at the
 * same timestamp. Series a rule stops producing get a staleness marker, as in Prometheus, so they vanish from
 * queries at once instead of after the 5-minute lookback.
 */
public final class RuleGroup {

	final String name;
	final String file;
	final long intervalMillis;
	final int limit;
	final List<Rule> rules;
	private final List<Set<Labels>> previous = new ArrayList<>();
	private volatile long lastEvaluationMillis;
	private volatile double evaluationSeconds;
	final AtomicLong evaluations = new AtomicLong();
	final AtomicLong failures = new AtomicLong();
	// evaluations left before the for-state restore; 0 when there is none to do (guarded by this)
	private int evaluationsBeforeRestore;

	RuleGroup(String name, String file, long intervalMillis, int limit, List<Rule> rules) {
		this.name = name;
		this.file = file;
		this.intervalMillis = intervalMillis;
		this.limit = limit;
		this.rules = List.copyOf(rules);
		for (int i = 0; i < rules.size(); i++) {
			previous.add(new HashSet<>());
		}
	}

	public String name() {
		return name;
	}

	public String file() {
		return file;
	}

	public long intervalMillis() {
		return intervalMillis;
	}

	/** Evaluates every rule at {@code ts} (milliseconds) and writes the results. */
	public synchronized void eval(long ts, QueryFunc query, SeriesWriter out, Map<String, String> externalLabels,
			String externalURL) {
		long start = System.nanoTime();
		Template.Data base = new Template.Data(Map.of(), externalLabels, externalURL, 0);
		for (int i = 0; i < rules.size(); i++) {
			Rule r = rules.get(i);
			long ruleStart = System.nanoTime();
			evaluations.incrementAndGet();
			List<Sample> samples;
			String error = null;
			try {
				samples = r.eval(ts, query, base);
				if (limit > 0 && samples.size() > limit) {
					throw new IllegalStateException(
							"exceeded limit of " + limit + " with " + samples.size() + " series");
				}
			}
			catch (RuntimeException e) {
				error = e.getMessage() == null ? e.toString() : e.getMessage();
				failures.incrementAndGet();
				samples = List.of();
			}
			Set<Labels> now = new HashSet<>();
			for (Sample s : samples) {
				now.add(s.labels());
				out.append(s.labels(), ts, s.value());
			}
			if (error == null) {
				// Prometheus keeps the previous series (no staleness) when evaluation fails
				for (Labels gone : previous.get(i)) {
					if (!now.contains(gone)) {
						out.append(gone, ts, StaleNaN.VALUE);
					}
				}
				previous.set(i, now);
			}
			r.recordHealth(ts, error, System.nanoTime() - ruleStart);
		}
		lastEvaluationMillis = ts;
		evaluationSeconds = (System.nanoTime() - start) / 1e9;
	}

	/** Holds back the group's alert state series until {@link #restoreDue()} says the state restore is due. */
	synchronized void awaitRestore() {
		evaluationsBeforeRestore = ForStateRestore.EVALUATIONS_BEFORE_RESTORE;
		for (Rule r : rules) {
			if (r instanceof AlertingRule a) {
				a.awaitRestore();
			}
		}
	}

	/** Called after each evaluation: true exactly once, after the second evaluation following awaitRestore(). */
	synchronized boolean restoreDue() {
		return evaluationsBeforeRestore > 0 && --evaluationsBeforeRestore == 0;
	}

	long lastEvaluationMillis() {
		return lastEvaluationMillis;
	}

	double evaluationSeconds() {
		return evaluationSeconds;
	}

	/** Firing alerts and recently resolved ones, with the rule they belong to. */
	List<Alert.Snapshot> alerts() {
		List<Alert.Snapshot> out = new ArrayList<>();
		for (Rule r : rules) {
			if (r instanceof AlertingRule a) {
				out.addAll(a.alerts());
			}
		}
		return out;
	}

}
