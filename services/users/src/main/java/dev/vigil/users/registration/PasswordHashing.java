package dev.vigil.users.registration;

import java.time.Duration;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

@Configuration(proxyBeanMethods = false)
class PasswordHashing {

	/** OWASP's Password Storage Cheat Sheet: a bcrypt work factor of 10 or more. Configuration may only raise it. */
	static final int MIN_STRENGTH = 10;

	/** bcrypt's own upper bound (2^31 rounds). */
	static final int MAX_STRENGTH = 31;

	/** Name of the bulkhead (the {@code name} tag of the {@code resilience4j_bulkhead_*} metrics). */
	static final String BULKHEAD = "password-hashing";

	@Bean
	PasswordEncoder passwordEncoder(@Value("${vigil.users.password.bcrypt-strength:10}") int strength,
			@Value("${vigil.users.password.max-concurrent-hashes:0}") int maxConcurrentHashes,
			@Value("${vigil.users.password.max-wait:1s}") Duration maxWait, ObjectProvider<MeterRegistry> meters) {
		Bulkhead bulkhead = bulkhead(maxConcurrentHashes, maxWait, meters.getIfAvailable());
		return new BoundedPasswordEncoder(bcrypt(strength), bulkhead);
	}

	static PasswordEncoder bcrypt(int strength) {
		// Strength 10: ~50-100 ms per hash on a small machine (2^10 rounds; each step up doubles it), the usual
		// trade-off between login latency and brute-force cost. Faster hardware can afford more; less is refused so
		// that a capacity tweak can never weaken stored passwords. Existing hashes keep the strength they were made
		// with (it is part of the hash), so raising it only affects new passwords.
		if (strength < MIN_STRENGTH || strength > MAX_STRENGTH) {
			throw new IllegalArgumentException("vigil.users.password.bcrypt-strength must be from " + MIN_STRENGTH
					+ " to " + MAX_STRENGTH + " (each step doubles the hashing time), not " + strength);
		}
		return new BCryptPasswordEncoder(strength);
	}

	/**
	 * At most {@code maxConcurrentHashes} hashes at a time (0: one core fewer than the machine has, at least one, so
	 * that sign-ins can never take every core); a hash waits up to {@code maxWait} for a slot, fairly. The wait should
	 * stay below the gateway's deadline for this service (2 s by default), or the gateway gives up first.
	 */
	static Bulkhead bulkhead(int maxConcurrentHashes, Duration maxWait, MeterRegistry meters) {
		if (maxConcurrentHashes < 0) {
			throw new IllegalArgumentException("vigil.users.password.max-concurrent-hashes must be 0 (one fewer than "
					+ "the cores, at least 1) or more, not " + maxConcurrentHashes);
		}
		if (maxWait.isNegative()) {
			throw new IllegalArgumentException(
					"vigil.users.password.max-wait must be 0 (refuse at once) or more, not " + maxWait);
		}
		int slots = (maxConcurrentHashes > 0) ? maxConcurrentHashes
				: Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
		BulkheadRegistry registry = BulkheadRegistry.of(BulkheadConfig.custom()
			.maxConcurrentCalls(slots)
			.maxWaitDuration(maxWait)
			.fairCallHandlingStrategyEnabled(true)
			.build());
		Bulkhead bulkhead = registry.bulkhead(BULKHEAD);
		if (meters != null) {
			TaggedBulkheadMetrics.ofBulkheadRegistry(registry).bindTo(meters);
			// The bulkhead's gauges show how full it is; this counts what it turned away.
			Counter rejected = Counter.builder("vigil.users.password.hashes.rejected")
				.description("Password hashes refused because every hashing slot stayed busy for the whole wait")
				.register(meters);
			bulkhead.getEventPublisher().onCallRejected((event) -> rejected.increment());
		}
		return bulkhead;
	}

}
