package dev.vigil.gateway.orders;

import java.net.URI;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import dev.vigil.gateway.auth.Caller;
import dev.vigil.gateway.system.Identifiers;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriComponentsBuilder;

@RestController
class OrdersController {

	private final Orders orders;

	OrdersController(Orders orders) {
		this.orders = orders;
	}

	@PostMapping("/api/orders")
	ResponseEntity<OrderView> place(Caller caller,
			@RequestHeader("Idempotency-Key") @Size(min = 1, max = 128) @Pattern(regexp = "[\\x21-\\x7E]+",
					message = "must be printable ASCII without spaces") String idempotencyKey,
			@Valid @RequestBody PlaceOrderRequest request) {
		OrderView order = this.orders.place(caller, idempotencyKey, request);
		URI location = UriComponentsBuilder.fromPath("/api/orders/{id}").buildAndExpand(order.id()).encode().toUri();
		return ResponseEntity.created(location).body(order);
	}

	@GetMapping("/api/orders/{id}")
	OrderView get(Caller caller,
			@PathVariable @Pattern(regexp = Identifiers.PATTERN, message = Identifiers.MESSAGE) String id) {
		return this.orders.get(caller, id);
	}

	@GetMapping("/api/orders")
	OrderList list(Caller caller, @RequestParam(required = false) @Min(1) @Max(100) Integer pageSize) {
		return this.orders.list(caller, (pageSize != null) ? pageSize : 0);
	}

}
