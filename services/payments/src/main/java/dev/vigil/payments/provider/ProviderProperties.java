package dev.vigil.payments.provider;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.PositiveOrZero;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Behaviour of the simulated provider.
 *
 * @param latencyMs mean time a charge takes at the provider (default 50)
 * @param latencyJitterMs each charge takes the mean plus or minus up to this much, uniformly (default 25)
 * @param declineRate probability that an otherwise fine charge is declined, 0 to 1 (default 0.02)
 */
@Validated
@ConfigurationProperties("vigil.payments")
record ProviderProperties(@DefaultValue("50") @PositiveOrZero long latencyMs,
		@DefaultValue("25") @PositiveOrZero long latencyJitterMs,
		@DefaultValue("0.02") @DecimalMin("0.0") @DecimalMax("1.0") double declineRate) {

}
