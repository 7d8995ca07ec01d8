package dev.vigil.platform.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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

	@Test
	void memoryFaultsHoldTheirHeapUntilRemoved() {
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		try (ChaosFaults faults = new ChaosFaults(Clock.systemUTC(), meters)) {
			Fault fault = faults.add(new FaultRequest("memory", null, null, null, null, 8, null, "30s"));
			// Soft references, but with gigabytes free nothing reclaims them.
			assertThat(meters.get("chaos.memory.held").gauge().value()).isEqualTo(8 * 1024 * 1024);
			assertThat(faults.remove(fault.id())).isTrue();
			assertThat(meters.get("chaos.memory.held").gauge().value()).isZero();
		}
	}

	/**
	 * A memory fault bigger than the whole heap (200 MB in a 64 MB JVM) must not kill the service: a separate JVM
	 * injects it, which fills the old generation to at most 95 % (not nothing, not more), and then does real work that
	 * needs 24 MB; the JVM gives up the fault's blocks instead of throwing an OutOfMemoryError.
	 */
	@Test
	void aMemoryFaultTooBigForTheHeapCannotCauseAnOutOfMemoryError() throws Exception {
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		Process probe = new ProcessBuilder(java.toString(), "-Xmx64m", "-XX:+UseSerialGC", "-cp",
				System.getProperty("java.class.path"), MemoryFaultProbe.class.getName())
			.redirectErrorStream(true)
			.start();
		String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(probe.waitFor()).as(output).isZero();
		assertThat(output).contains("work done");
		long filled = Long.parseLong(output.replaceAll("(?s).*filled (\\d+) bytes.*", "$1"));
		long room = Long.parseLong(output.replaceAll("(?s).*room (\\d+) bytes.*", "$1"));
		assertThat(filled).as(output).isPositive().isLessThanOrEqualTo(room);
		long held = Long.parseLong(output.replaceAll("(?s).*held (\\d+) bytes.*", "$1"));
		assertThat(held).as(output).isLessThan(64L * 1024 * 1024);
	}

	/** Run by the test above in a JVM with a 64 MB heap. */
	static final class MemoryFaultProbe {

		public static void main(String[] args) {
			try (ChaosFaults faults = new ChaosFaults(Clock.systemUTC(), new SimpleMeterRegistry())) {
				long room = ChaosFaults.roomInMegabytes(ChaosFaults.HEAP_CEILING) * 1024L * 1024;
				faults.add(new FaultRequest("memory", null, null, null, null, 200, null, "60s"));
				// Measured before any work: at most the room below the ceiling (give or take a megabyte).
				System.out.println("filled " + faults.heldBytes() + " bytes; room " + (room + 1024 * 1024) + " bytes");
				byte[][] work = new byte[24][];
				for (int i = 0; i < work.length; i++) {
					work[i] = new byte[1024 * 1024];
				}
				System.out.println("work done: " + work.length + " MB; the fault held " + faults.heldBytes() + " bytes");
			}
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
