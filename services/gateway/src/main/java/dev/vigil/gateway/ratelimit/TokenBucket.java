package dev.vigil.gateway.ratelimit;

/**
 * A classic token bucket: refills continuously at {@code ratePerSecond}, holds at most {@code capacity} tokens,
 * each request takes one. Chosen over a fixed window because it allows bursts up to the capacity without letting
 * a client double its rate at window boundaries.
 */
final class TokenBucket {

	private static final double NANOS_PER_SECOND = 1_000_000_000d;

	private final double ratePerNano;

	private final double capacity;

	private double tokens;

	private long lastRefill;

	TokenBucket(double ratePerSecond, int capacity, long now) {
		this.ratePerNano = ratePerSecond / NANOS_PER_SECOND;
		this.capacity = capacity;
		this.tokens = capacity;
		this.lastRefill = now;
	}

	/** Takes a token if one is available: returns 0, else the nanoseconds until one will be. */
	synchronized long tryAcquire(long now) {
		if (now > this.lastRefill) {
			this.tokens = Math.min(this.capacity, this.tokens + (now - this.lastRefill) * this.ratePerNano);
			this.lastRefill = now;
		}
		if (this.tokens >= 1) {
			this.tokens -= 1;
			return 0;
		}
		return (long) Math.ceil((1 - this.tokens) / this.ratePerNano);
	}

}
