package dev.vigil.payments.provider;

import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PaymentProviderTests {

	@Test
	void shouldDeclineEverythingAtRateOne() {
		PaymentProvider provider = new PaymentProvider(new ProviderProperties(0, 0, 1.0));

		assertThat(IntStream.range(0, 50).mapToObj((i) -> provider.charge("user", 1_000 + i, "EUR")))
			.allSatisfy((decision) -> {
				assertThat(decision.approved()).isFalse();
				assertThat(decision.declineReason()).isNotBlank();
			});
	}

	@Test
	void shouldApproveEverythingAtRateZeroExceptDeterministicTriggers() {
		PaymentProvider provider = new PaymentProvider(new ProviderProperties(0, 0, 0.0));

		assertThat(IntStream.range(0, 50).mapToObj((i) -> provider.charge("user", 1_000 + i * 7, "EUR")))
			.allSatisfy((decision) -> assertThat(decision.approved()).isTrue());
		assertThat(provider.charge("decline-me", 1_000, "EUR")).isEqualTo(ProviderDecision.decline("card_declined"));
		assertThat(provider.charge("user", 7_013, "EUR")).isEqualTo(ProviderDecision.decline("insufficient_funds"));
	}

	@Test
	void shouldTakeAboutTheConfiguredLatency() {
		PaymentProvider provider = new PaymentProvider(new ProviderProperties(40, 10, 0.0));

		long started = System.nanoTime();
		provider.charge("user", 1_000, "EUR");
		long tookMs = (System.nanoTime() - started) / 1_000_000;

		assertThat(tookMs).isGreaterThanOrEqualTo(30);
	}

}
