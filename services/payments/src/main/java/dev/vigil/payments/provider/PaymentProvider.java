package dev.vigil.payments.provider;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * A simulated payment service provider: it takes a configurable time and declines a configurable share of charges.
 * <p>
 * Two deterministic triggers let tests and demos force a decline regardless of {@code decline-rate}:
 * <ul>
 * <li>customer id {@value #DECLINED_CUSTOMER} is always declined with {@code card_declined};</li>
 * <li>an amount whose last three digits are 013 ({@code amount_cents % 1000 == 13}, e.g. 10.13 EUR) is always
 * declined with {@code insufficient_funds}.</li>
 * </ul>
 */
@Component
@EnableConfigurationProperties(ProviderProperties.class)
public class PaymentProvider {

	public static final String DECLINED_CUSTOMER = "decline-me";

	private static final List<String> RANDOM_DECLINE_REASONS = List.of("insufficient_funds", "card_declined",
			"expired_card", "do_not_honor");

	private final ProviderProperties properties;

	PaymentProvider(ProviderProperties properties) {
		this.properties = properties;
	}

	public ProviderDecision charge(String customerId, long amountCents, String currency) {
		simulateLatency();
		if (DECLINED_CUSTOMER.equals(customerId)) {
			return ProviderDecision.decline("card_declined");
		}
		if (amountCents % 1000 == 13) {
			return ProviderDecision.decline("insufficient_funds");
		}
		ThreadLocalRandom random = ThreadLocalRandom.current();
		if (random.nextDouble() < this.properties.declineRate()) {
			return ProviderDecision.decline(RANDOM_DECLINE_REASONS.get(random.nextInt(RANDOM_DECLINE_REASONS.size())));
		}
		return ProviderDecision.approve();
	}

	private void simulateLatency() {
		long jitter = this.properties.latencyJitterMs();
		long offset = (jitter > 0) ? ThreadLocalRandom.current().nextLong(-jitter, jitter + 1) : 0;
		long millis = Math.max(0, this.properties.latencyMs() + offset);
		if (millis == 0) {
			return;
		}
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting for the payment provider", ex);
		}
	}

}
