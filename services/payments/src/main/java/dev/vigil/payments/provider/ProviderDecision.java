package dev.vigil.payments.provider;

/**
 * What the provider answered: approved, or declined with a machine-readable reason such as
 * {@code insufficient_funds}.
 */
public record ProviderDecision(boolean approved, String declineReason) {

	static ProviderDecision approve() {
		return new ProviderDecision(true, "");
	}

	static ProviderDecision decline(String reason) {
		return new ProviderDecision(false, reason);
	}

}
