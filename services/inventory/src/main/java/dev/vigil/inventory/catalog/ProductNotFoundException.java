package dev.vigil.inventory.catalog;

/**
 * Maps to gRPC {@code NOT_FOUND}.
 */
public class ProductNotFoundException extends RuntimeException {

	public ProductNotFoundException(String productId) {
		super("product " + productId + " not found");
	}

}
