package dev.vigil.telemetry.promql;

import java.time.Duration;

/**
 * Engine settings.
 *
 * @param timeout maximum evaluation time per query (default 30s)
 * @param maxSamples maximum samples a query may load and produce (default 50,000,000)
 * @param lookbackDelta how far back an instant selector looks for a sample (default 5m)
 * @param defaultSubqueryStep step of subqueries without an explicit one (default 1m, Prometheus's default
 *        evaluation interval)
 */
public record EngineConfig(Duration timeout, long maxSamples, Duration lookbackDelta, Duration defaultSubqueryStep) {

	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

	public static final long DEFAULT_MAX_SAMPLES = 50_000_000L;

	public static final Duration DEFAULT_LOOKBACK_DELTA = Duration.ofMinutes(5);

	public static final Duration DEFAULT_SUBQUERY_STEP = Duration.ofMinutes(1);

	public EngineConfig {
		if (timeout == null) {
			timeout = DEFAULT_TIMEOUT;
		}
		if (maxSamples <= 0) {
			maxSamples = DEFAULT_MAX_SAMPLES;
		}
		if (lookbackDelta == null) {
			lookbackDelta = DEFAULT_LOOKBACK_DELTA;
		}
		if (defaultSubqueryStep == null) {
			defaultSubqueryStep = DEFAULT_SUBQUERY_STEP;
		}
	}

	public static EngineConfig defaults() {
		return new EngineConfig(DEFAULT_TIMEOUT, DEFAULT_MAX_SAMPLES, DEFAULT_LOOKBACK_DELTA, DEFAULT_SUBQUERY_STEP);
	}

}
