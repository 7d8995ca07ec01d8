package dev.vigil.users.registration;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class PasswordHashingTests {

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	/** A stand-in for bcrypt that holds its slot until the test lets it go. */
	private final BlockingHash blocking = new BlockingHash();

	@AfterEach
	void releaseHashes() {
		this.blocking.release.countDown();
	}

	@Test
	void theWorkFactorCanBeRaisedButNotLowered() {
		PasswordEncoder stronger = PasswordHashing.bcrypt(11);
		String hash = stronger.encode("correct horse battery");
		assertThat(hash).startsWith("$2a$11$");
		assertThat(stronger.matches("correct horse battery", hash)).isTrue();
		// A hash made with the default strength still verifies: the strength is part of the hash.
		assertThat(stronger.matches("pw", PasswordHashing.bcrypt(10).encode("pw"))).isTrue();

		assertThatThrownBy(() -> PasswordHashing.bcrypt(9))
			.hasMessageContaining("bcrypt-strength must be from 10 to 31");
		assertThatThrownBy(() -> PasswordHashing.bcrypt(32))
			.hasMessageContaining("bcrypt-strength must be from 10 to 31");
	}

	@Test
	void theBeanHashesWithBcryptThroughTheBulkhead() {
		PasswordEncoder encoder = new PasswordHashing().passwordEncoder(10, 1, Duration.ofSeconds(1),
				new StaticListableBeanFactory().getBeanProvider(MeterRegistry.class));
		assertThat(encoder).isInstanceOf(BoundedPasswordEncoder.class);
		String hash = encoder.encode("correct horse battery");
		assertThat(hash).startsWith("$2a$10$");
		assertThat(encoder.matches("correct horse battery", hash)).isTrue();
		assertThat(encoder.matches("wrong", hash)).isFalse();
	}

	@Test
	void aHashBeyondTheSlotsIsRefusedWith503AndRetryAfterOnceTheWaitIsOver() throws Exception {
		PasswordEncoder encoder = bounded(1, Duration.ZERO);
		CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> encoder.matches("pw", "hash"));
		assertThat(this.blocking.entered.await(10, TimeUnit.SECONDS)).isTrue();

		assertThatThrownBy(() -> encoder.matches("pw", "hash")).isInstanceOfSatisfying(
				PasswordHashingBusyException.class, (busy) -> {
					assertThat(busy.getStatusCode().value()).isEqualTo(503);
					assertThat(busy.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
					assertThat(busy.getBody().getDetail()).contains("retry in a second");
				});
		assertThatThrownBy(() -> encoder.encode("pw")).isInstanceOf(PasswordHashingBusyException.class);
		assertThat(this.meters.get("vigil.users.password.hashes.rejected").counter().count()).isEqualTo(2);

		// The slot comes back when the running hash ends; nothing else was started meanwhile.
		this.blocking.release.countDown();
		assertThat(first.get(10, TimeUnit.SECONDS)).isTrue();
		assertThat(encoder.encode("pw")).isEqualTo("hashed pw");
		assertThat(this.blocking.calls).hasValue(2);
	}

	@Test
	void aHashWaitsForAFreeSlotWithinTheWait() throws Exception {
		PasswordEncoder encoder = bounded(1, Duration.ofSeconds(30));
		CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> encoder.matches("pw", "hash"));
		assertThat(this.blocking.entered.await(10, TimeUnit.SECONDS)).isTrue();
		Thread waiter = new Thread(() -> encoder.encode("second"));
		waiter.start();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> waiter.getState() == Thread.State.TIMED_WAITING || waiter.getState() == Thread.State.WAITING);
		assertThat(this.blocking.calls).hasValue(1);

		this.blocking.release.countDown();
		waiter.join(10_000);
		assertThat(waiter.isAlive()).isFalse();
		assertThat(first.get(10, TimeUnit.SECONDS)).isTrue();
		assertThat(this.blocking.calls).hasValue(2);
		assertThat(this.meters.get("vigil.users.password.hashes.rejected").counter().count()).isZero();
	}

	@Test
	void theBulkheadShowsItsSlotsAsMetrics() {
		Bulkhead bulkhead = PasswordHashing.bulkhead(3, Duration.ofSeconds(1), this.meters);
		assertThat(bulkhead.getBulkheadConfig().getMaxConcurrentCalls()).isEqualTo(3);
		assertThat(this.meters.get("resilience4j.bulkhead.max.allowed.concurrent.calls")
			.tag("name", PasswordHashing.BULKHEAD)
			.gauge()
			.value()).isEqualTo(3);
		assertThat(this.meters.get("resilience4j.bulkhead.available.concurrent.calls")
			.tag("name", PasswordHashing.BULKHEAD)
			.gauge()
			.value()).isEqualTo(3);
	}

	@Test
	void byDefaultHashingLeavesOneCoreFree() {
		int cores = Runtime.getRuntime().availableProcessors();
		Bulkhead bulkhead = PasswordHashing.bulkhead(0, Duration.ofSeconds(1), null);
		assertThat(bulkhead.getBulkheadConfig().getMaxConcurrentCalls()).isEqualTo(Math.max(1, cores - 1));
	}

	@Test
	void badBulkheadSettingsAreRefusedWithTheFix() {
		assertThatThrownBy(() -> PasswordHashing.bulkhead(-1, Duration.ofSeconds(1), null))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("max-concurrent-hashes must be 0")
			.hasMessageContaining("not -1");
		assertThatThrownBy(() -> PasswordHashing.bulkhead(1, Duration.ofSeconds(-1), null))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("max-wait must be 0 (refuse at once) or more");
	}

	private PasswordEncoder bounded(int slots, Duration maxWait) {
		return new BoundedPasswordEncoder(this.blocking, PasswordHashing.bulkhead(slots, maxWait, this.meters));
	}

	private static final class BlockingHash implements PasswordEncoder {

		final CountDownLatch entered = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		final AtomicInteger calls = new AtomicInteger();

		@Override
		public String encode(CharSequence rawPassword) {
			hold();
			return "hashed " + rawPassword;
		}

		@Override
		public boolean matches(CharSequence rawPassword, String encodedPassword) {
			hold();
			return true;
		}

		private void hold() {
			this.calls.incrementAndGet();
			this.entered.countDown();
			try {
				if (!this.release.await(30, TimeUnit.SECONDS)) {
					throw new IllegalStateException("the test never released the hash");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

	}

}
