package dev.vigil.orders.placement;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * Business metrics of placement; Prometheus names: vigil_orders_placed_total, vigil_orders_failed_total{reason},
 * vigil_revenue_cents_total. Declines are counted by
 * payments (vigil_payment_declines_total); here they are vigil_orders_failed_total{reason="payment_declined"}.
 */
@Component
class OrderMetrics {

	private final MeterRegistry registry;

	private final Counter placed;

	private final Counter revenue;

	OrderMetrics(MeterRegistry registry) {
		this.registry = registry;
		this.placed = Counter.builder("vigil.orders.placed").description("Orders confirmed").register(registry);
		this.revenue = Counter.builder("vigil.revenue.cents")
			.description("Revenue of confirmed orders, in cents")
			.register(registry);
	}

	void placed(long totalCents) {
		this.placed.increment();
		this.revenue.increment(totalCents);
	}

	void failed(String reason) {
		Counter.builder("vigil.orders.failed")
			.description("Placements that did not produce an order, by reason")
			.tag("reason", reason)
			.register(this.registry)
			.increment();
	}

}
