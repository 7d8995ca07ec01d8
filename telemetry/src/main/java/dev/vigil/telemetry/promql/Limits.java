package dev.vigil.telemetry.promql;

/**
 * Per-query resource accounting: a deadline, and a budget for samples loaded from storage (raw points selected and
 * per-step selector results), which dominate a query's memory; derived intermediate results are rarely larger.
 */
final class Limits {

	private final long deadlineNanos;
	private final long maxSamples;
	private long samples;

	Limits(long timeoutMillis, long maxSamples) {
		this.deadlineNanos = System.nanoTime() + timeoutMillis * 1_000_000L;
		this.maxSamples = maxSamples;
	}

	void checkTime() {
		if (System.nanoTime() - deadlineNanos > 0) {
			throw new PromQLException(PromQLException.Kind.TIMEOUT, "query timed out in expression evaluation");
		}
	}

	void addSamples(long n) {
		samples += n;
		if (samples > maxSamples) {
			throw new PromQLException(PromQLException.Kind.EXECUTION,
					"query processing would load too many samples into memory in query execution");
		}
	}

	long samples() {
		return samples;
	}

}
