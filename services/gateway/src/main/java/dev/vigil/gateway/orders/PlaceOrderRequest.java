package dev.vigil.gateway.orders;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

record PlaceOrderRequest(@NotNull @Size(min = 1, max = 50) List<@NotNull @Valid OrderItem> items) {
}
