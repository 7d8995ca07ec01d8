package dev.vigil.platform.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CardinalityGuardTest {

	@Test
	void thousandDistinctOrderIdsMakeAtMost101Series() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		CardinalityGuard guard = new CardinalityGuard(100);
		registry.config().meterFilter(guard);
		guard.bindTo(registry);

		for (int i = 0; i < 1000; i++) {
			Counter.builder("vigil.orders.placed").tag("order.id", "order-" + i).tag("outcome", "ok").register(registry)
				.increment();
		}

		assertThat(registry.find("vigil.orders.placed").counters()).hasSizeLessThanOrEqualTo(101);
		Counter other = registry.get("vigil.orders.placed").tag("order.id", CardinalityGuard.OTHER).counter();
		assertThat(other.count()).isEqualTo(900);
		assertThat(registry.get(CardinalityGuard.CLIPPED_METRIC).functionCounter().count()).isEqualTo(900);
		// The bounded tag is untouched, and other meters have their own budget.
		assertThat(registry.get("vigil.orders.placed").tag("outcome", "ok").counters()).hasSize(101);
		// An id clipped once (composite registry) is not clipped and counted again (child registry).
		io.micrometer.core.instrument.Meter.Id clippedId = guard.map(Counter.builder("vigil.orders.placed")
			.tag("order.id", "order-5000").tag("outcome", "ok").register(new SimpleMeterRegistry()).getId());
		assertThat(guard.map(clippedId)).isSameAs(clippedId);
		assertThat(guard.clippedCount()).isEqualTo(901);
		Counter.builder("vigil.other").tag("order.id", "order-1").register(registry);
		assertThat(registry.get("vigil.other").tag("order.id", "order-1").counter()).isNotNull();
	}

}
