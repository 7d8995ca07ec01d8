package dev.vigil.telemetry.rules;

import java.util.List;

/** A recording or alerting rule: evaluated at a timestamp, producing the samples to store. */
abstract class Rule {

	final String name;
	final String expr;
	final java.util.Map<String, String> labels;
	private volatile String lastError = "";
	private volatile long lastEvaluationMillis;
	private volatile double evaluationSeconds;
	private volatile boolean evaluated;

	Rule(String name, String expr, java.util.Map<String, String> labels) {
		this.name = name;
		this.expr = expr;
		this.labels = labels;
	}

	/** Evaluates at {@code ts}; the returned samples are written by the group. */
	abstract List<Sample> eval(long ts, QueryFunc query, Template.Data base);

	void recordHealth(long ts, String error, long nanos) {
		lastEvaluationMillis = ts;
		lastError = error == null ? "" : error;
		evaluationSeconds = nanos / 1e9;
		evaluated = true;
	}

	/** "ok", "err" or "unknown", as the rules API reports it. */
	String health() {
		return !evaluated ? "unknown" : lastError.isEmpty() ? "ok" : "err";
	}

	String lastError() {
		return lastError;
	}

	long lastEvaluationMillis() {
		return evaluated ? lastEvaluationMillis : 0;
	}

	double evaluationSeconds() {
		return evaluationSeconds;
	}

}
