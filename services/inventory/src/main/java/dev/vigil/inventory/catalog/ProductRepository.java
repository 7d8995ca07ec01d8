package dev.vigil.inventory.catalog;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class ProductRepository {

	private static final String SELECT = """
			SELECT p.id, p.name, p.description, p.price_cents, p.currency,
			       COALESCE(s.on_hand - s.reserved, 0) AS available
			FROM products p LEFT JOIN stock s ON s.product_id = p.id
			""";

	private final JdbcClient jdbc;

	ProductRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Optional<Product> findById(String id) {
		return this.jdbc.sql(SELECT + " WHERE p.id = :id").param("id", id).query(Product.class).optional();
	}

	/** Products ordered by id, strictly after {@code afterId} (keyset pagination: stable under inserts). */
	List<Product> findAfter(String afterId, int limit) {
		return this.jdbc.sql(SELECT + " WHERE p.id > :after ORDER BY p.id LIMIT :limit")
			.param("after", afterId)
			.param("limit", limit)
			.query(Product.class)
			.list();
	}

}
