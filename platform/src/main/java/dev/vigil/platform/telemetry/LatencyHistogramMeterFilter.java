package dev.vigil.platform.telemetry;

import java.time.Duration;
import java.util.Arrays;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;

/**
 * Gives every semantic-convention duration timer ({@code http.server.request.duration}, {@code rpc.server.duration},
 * {@code db.client.operation.duration}, ...) the same explicit histogram buckets, so that Prometheus
 * {@code histogram_quantile} and SLO rules work on OTLP and scrape alike.
 * <p>
 * The boundaries follow the semconv advice for HTTP durations (0.005 ... 10 s), with 0.3 s added because the latency
 * SLO counts requests faster than 300 ms ({@code le="0.3"} must exist as a bucket). 14 buckets instead of Micrometer's
 * 70-odd percentile-histogram buckets keeps series counts per route small.
 */
final class LatencyHistogramMeterFilter implements MeterFilter {

	/** Bucket upper bounds in seconds. */
	static final double[] BUCKETS_SECONDS = { 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.3, 0.5, 0.75, 1, 2.5, 5,
			7.5, 10 };

	private static final double[] BUCKETS_NANOS = Arrays.stream(BUCKETS_SECONDS)
		.map((s) -> Duration.ofNanos(Math.round(s * 1e9)).toNanos())
		.toArray();

	@Override
	public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
		if (id.getType() != Meter.Type.TIMER || !id.getName().endsWith(".duration")) {
			return config;
		}
		// Timers keep their distribution in nanoseconds; registries convert to the base unit (seconds) on export.
		return DistributionStatisticConfig.builder()
			.percentilesHistogram(false)
			.serviceLevelObjectives(BUCKETS_NANOS)
			.build()
			.merge(config);
	}

}
