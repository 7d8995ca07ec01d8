package dev.vigil.orders.placement;

import dev.vigil.proto.orders.v1.OrderLine;
import dev.vigil.proto.orders.v1.PlaceOrderRequest;
import io.grpc.Status;

/**
 * Rejects requests that can never succeed before anything is claimed, reserved or charged.
 */
final class PlacementRequestValidator {

	static final int MAX_LINES = 50;

	static final int MAX_QUANTITY = 100;

	static final int MAX_KEY_LENGTH = 200;

	private PlacementRequestValidator() {
	}

	static void validate(PlaceOrderRequest request) {
		require(!request.getCustomerId().isBlank(), "customer_id is required");
		require(!request.getIdempotencyKey().isBlank(), "idempotency_key is required");
		require(request.getIdempotencyKey().length() <= MAX_KEY_LENGTH,
				"idempotency_key must be at most " + MAX_KEY_LENGTH + " characters");
		require(request.getLinesCount() > 0, "an order needs at least one line");
		require(request.getLinesCount() <= MAX_LINES, "an order has at most " + MAX_LINES + " lines");
		for (int i = 0; i < request.getLinesCount(); i++) {
			OrderLine line = request.getLines(i);
			require(!line.getProductId().isBlank(), "lines[" + i + "].product_id is required");
			require(line.getQuantity() >= 1 && line.getQuantity() <= MAX_QUANTITY,
					"lines[" + i + "].quantity must be between 1 and " + MAX_QUANTITY);
		}
	}

	private static void require(boolean condition, String message) {
		if (!condition) {
			throw new PlacementFailure(Status.Code.INVALID_ARGUMENT, message, "invalid_argument");
		}
	}

}
