package dev.vigil.telemetry.logs;

/**
 * Bounds on one query's work and answer, Loki's defaults where Loki has one.
 *
 * @param maxEntriesScanned records a query may look at before it fails (the store holds at most its budget anyway)
 * @param maxSeries series in a metric result (Loki's max_query_series: 500)
 * @param maxPointsPerSeries steps per series (Loki's and Prometheus's 11,000)
 * @param maxQueryLengthNanos end − start (Loki's max_query_length; 30 days here)
 * @param maxLimit largest {@code limit} for log queries
 */
record QueryLimits(long maxEntriesScanned, int maxSeries, int maxPointsPerSeries, long maxQueryLengthNanos,
		int maxLimit) {

	static QueryLimits defaults() {
		return new QueryLimits(5_000_000, 500, 11_000, 30L * 24 * 3600 * 1_000_000_000L, 5_000);
	}

}
