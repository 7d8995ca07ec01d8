package dev.vigil.gateway.catalog;

import dev.vigil.proto.inventory.v1.Product;

record ProductView(String id, String name, String description, long priceCents, String currency, int available) {

	static ProductView of(Product product) {
		return new ProductView(product.getId(), product.getName(), product.getDescription(),
				product.getPriceCents(), product.getCurrency(), product.getAvailable());
	}

}
