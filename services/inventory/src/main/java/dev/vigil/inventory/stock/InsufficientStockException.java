package dev.vigil.inventory.stock;

/**
 * Maps to gRPC {@code FAILED_PRECONDITION}: the request was valid, the shelf is just not full enough.
 */
public class InsufficientStockException extends RuntimeException {

	InsufficientStockException(String productId, int requested, int available) {
		super("insufficient stock for " + productId + ": requested " + requested + ", available "
				+ Math.max(available, 0));
	}

}
