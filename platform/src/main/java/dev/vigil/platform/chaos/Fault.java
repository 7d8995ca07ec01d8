package dev.vigil.platform.chaos;

import java.time.Instant;

/**
 * An active fault. Every fault has an expiry: nothing stays broken by accident.
 *
 * @param latencyMillis for LATENCY and SLOW_DB: the mean added delay
 * @param jitterMillis for LATENCY and SLOW_DB: uniform spread around the mean
 * @param rate for ERROR, EXCEPTION, DEPENDENCY_FAILURE: the share of calls affected, 0..1
 * @param threads for CPU: busy threads
 * @param megabytes for MEMORY: heap held
 * @param target for DEPENDENCY_FAILURE: the gRPC service name prefix to fail (e.g. "vigil.payments"), empty = all
 */
public record Fault(String id, FaultType type, long latencyMillis, long jitterMillis, double rate, int threads,
		int megabytes, String target, Instant createdAt, Instant expiresAt) {

	public boolean expired(Instant now) {
		return !now.isBefore(expiresAt);
	}

}
