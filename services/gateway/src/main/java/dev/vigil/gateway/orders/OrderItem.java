package dev.vigil.gateway.orders;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import dev.vigil.gateway.system.Identifiers;

record OrderItem(@NotNull @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String productId,
		@NotNull @Min(1) @Max(100) Integer quantity) {
}
