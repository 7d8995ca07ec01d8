package dev.vigil.gateway.ratelimit;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.vigil.gateway.system.GatewayProperties;

import org.springframework.stereotype.Component;

/**
 * One token bucket per client, in a bounded cache. A bucket idle for {@code burst / rate} seconds is full again,
 * so evicting it after that loses nothing; under a flood of distinct clients the size bound evicts least recently
 * seen clients first, which can only make the limiter more lenient, never unbounded in memory.
 */
@Component
class ClientRateLimiter {

	private final double ratePerSecond;

	private final int burst;

	private final Cache<String, TokenBucket> buckets;

	ClientRateLimiter(GatewayProperties properties) {
		GatewayProperties.RateLimit config = properties.rateLimit();
		this.ratePerSecond = config.requestsPerSecond();
		this.burst = Math.max(1, config.burst());
		Duration refillTime = Duration.ofMillis((long) Math.ceil(this.burst / this.ratePerSecond * 1000));
		this.buckets = Caffeine.newBuilder()
			.maximumSize(config.maxClients())
			.expireAfterAccess(refillTime.plusSeconds(1))
			.build();
	}

	/** Zero when the request may proceed, else how long (nanoseconds) the client should wait. */
	long tryAcquire(String client) {
		long now = System.nanoTime();
		return this.buckets.get(client, (key) -> new TokenBucket(this.ratePerSecond, this.burst, now)).tryAcquire(now);
	}

	long trackedClients() {
		this.buckets.cleanUp();
		return this.buckets.estimatedSize();
	}

}
