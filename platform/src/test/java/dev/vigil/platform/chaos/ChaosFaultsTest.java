package dev.vigil.platform.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ChaosFaultsTest {

	static FaultRequest request(String type, String ttl) {
		return new FaultRequest(type, 100L, null, 1.0, 1, 1, null, ttl);
	}

	@Test
	void badRequestsSayWhatIsWrong() {
		Instant now = Instant.now();
		assertThatThrownBy(() -> request("meteor", "10s").toFault(now)).hasMessageContaining("type \"meteor\" is unknown");
		assertThatThrownBy(() -> request(null, "10s").toFault(now)).hasMessageContaining("type is missing");
		assertThatThrownBy(() -> request("error", null).toFault(now)).hasMessageContaining("ttl is missing");
		assertThatThrownBy(() -> request("error", "2h").toFault(now)).hasMessageContaining("out of range");
		assertThatThrownBy(() -> request("error", "soon").toFault(now)).hasMessageContaining("not a duration");
		assertThatThrownBy(() -> new FaultRequest("error", null, null, 1.5, null, null, null, "10s").toFault(now))
			.hasMessageContaining("rate must be a number from 0 to 1");
		assertThatThrownBy(() -> new FaultRequest("latency", 120_000L, null, null, null, null, null, "10s").toFault(now))
			.hasMessageContaining("latencyMs must be from 1 to 60000");
		assertThatThrownBy(() -> new FaultRequest("memory", null, null, null, null, 4096, null, "10s").toFault(now))
			.hasMessageContaining("megabytes must be from 1 to 512");
	}

	@Test
	void faultsExpireByTheirTtlAndTheGaugeFollows() {
		MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		try (ChaosFaults faults = new ChaosFaults(clock, meters)) {
			faults.add(request("error", "5s"));
			assertThat(meters.get("chaos.fault.active").tag("type", "error").gauge().value()).isEqualTo(1);
			assertThat(faults.strike(FaultType.ERROR, null)).isPresent();
			clock.now = clock.now.plusSeconds(5);
			assertThat(faults.active()).isEmpty();
			assertThat(faults.strike(FaultType.ERROR, null)).isEmpty();
			assertThat(meters.get("chaos.fault.active").tag("type", "error").gauge().value()).isZero();
		}
	}

	@Test
	void dependencyFailuresHitOnlyTheirTarget() {
		try (ChaosFaults faults = new ChaosFaults(Clock.systemUTC(), new SimpleMeterRegistry())) {
			faults.add(new FaultRequest("dependency-failure", null, null, 1.0, null, null, "vigil.payments", "30s"));
			assertThat(faults.strike(FaultType.DEPENDENCY_FAILURE, "vigil.payments.v1.PaymentService")).isPresent();
			assertThat(faults.strike(FaultType.DEPENDENCY_FAILURE, "vigil.inventory.v1.InventoryService")).isEmpty();
		}
	}

	@Test
	void atMostSixteenFaultsAreActive() {
		try (ChaosFaults faults = new ChaosFaults(Clock.systemUTC(), new SimpleMeterRegistry())) {
			for (int i = 0; i < ChaosFaults.MAX_ACTIVE; i++) {
				faults.add(request("latency", "30s"));
			}
			assertThatThrownBy(() -> faults.add(request("latency", "30s"))).hasMessageContaining("already 16 faults active");
			assertThat(faults.clear()).isEqualTo(16);
		}
	}

	static final class MutableClock extends Clock {

		Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return now;
		}

	}

}
