package dev.vigil.telemetry.receiver;

import java.util.concurrent.Semaphore;

/**
 * Bounds the export requests being processed at once, across gRPC and HTTP. A request that finds no free slot is
 * refused at once with a retryable status (gRPC {@code RESOURCE_EXHAUSTED}, HTTP 429 + {@code Retry-After}) rather
 * than queued, so memory stays bounded and the exporter's own retry with back-off paces the sender (OTLP spec,
 * "Failures" and "Throttling").
 */
public final class IngestLimiter {

	private final Semaphore slots;
	private final int capacity;

	public IngestLimiter(int maxInFlightRequests) {
		this.capacity = maxInFlightRequests;
		this.slots = new Semaphore(maxInFlightRequests);
	}

	public boolean tryAcquire() {
		return slots.tryAcquire();
	}

	public void release() {
		slots.release();
	}

	public int inFlight() {
		return capacity - slots.availablePermits();
	}

	public int capacity() {
		return capacity;
	}

}
