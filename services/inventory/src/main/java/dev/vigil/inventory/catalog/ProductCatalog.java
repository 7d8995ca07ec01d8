package dev.vigil.inventory.catalog;

import java.util.List;

import dev.vigil.inventory.InvalidRequestException;
import dev.vigil.inventory.cache.ProductCache;

import org.springframework.stereotype.Service;

/**
 * Catalogue reads. Single-product reads go through the Redis cache-aside; listings read PostgreSQL directly
 * (one indexed range scan per page, and caching pages would multiply the keys a reservation has to invalidate).
 */
@Service
public class ProductCatalog {

	static final int DEFAULT_PAGE_SIZE = 50;

	static final int MAX_PAGE_SIZE = 200;

	private final ProductRepository products;

	private final ProductCache cache;

	ProductCatalog(ProductRepository products, ProductCache cache) {
		this.products = products;
		this.cache = cache;
	}

	public Product get(String id) {
		if (id == null || id.isBlank()) {
			throw new InvalidRequestException("id must not be empty");
		}
		return this.cache.get(id).orElseGet(() -> {
			Product product = this.products.findById(id).orElseThrow(() -> new ProductNotFoundException(id));
			this.cache.put(product);
			return product;
		});
	}

	public ProductPage list(int pageSize, String pageToken) {
		if (pageSize < 0) {
			throw new InvalidRequestException("page_size must not be negative, was " + pageSize);
		}
		// AIP-158: zero means the default, larger than the maximum is clamped rather than rejected.
		int size = (pageSize == 0) ? DEFAULT_PAGE_SIZE : Math.min(pageSize, MAX_PAGE_SIZE);
		String after = PageToken.decode(pageToken);
		List<Product> rows = this.products.findAfter(after, size + 1);
		if (rows.size() <= size) {
			return new ProductPage(rows, "");
		}
		List<Product> page = rows.subList(0, size);
		return new ProductPage(List.copyOf(page), PageToken.encode(page.get(size - 1).id()));
	}

}
