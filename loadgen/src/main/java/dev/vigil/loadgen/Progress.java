package dev.vigil.loadgen;

import java.time.Duration;

/**
 * Live figures during a run.
 *
 * @param elapsed since the first intended arrival
 * @param sentPerSecond requests sent during the last interval, per second
 * @param inFlight outstanding requests now
 * @param p50Millis median latency so far (all scenarios)
 * @param p99Millis 99th percentile so far
 * @param completed responses (and timeouts) so far
 * @param errors errors so far (non-2xx except 429, timeouts, I/O failures)
 * @param dropped arrivals rejected by the generator because {@code maxInFlight} was reached
 */
public record Progress(Duration elapsed, double sentPerSecond, int inFlight, double p50Millis, double p99Millis,
		long completed, long errors, long dropped) {
}
