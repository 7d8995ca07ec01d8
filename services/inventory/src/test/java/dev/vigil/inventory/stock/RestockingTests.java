package dev.vigil.inventory.stock;

import java.util.UUID;

import dev.vigil.inventory.InventoryIntegrationTest;
import dev.vigil.proto.inventory.v1.GetProductRequest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

class RestockingTests extends InventoryIntegrationTest {

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Restocking restocking;

	@Test
	void shouldRestockOnlyProductsRunningLow() {
		String low = product(5);
		String full = product(400);
		GetProductRequest getLow = GetProductRequest.newBuilder().setId(low).build();
		assertThat(this.inventory.getProduct(getLow).getAvailable()).isEqualTo(5);

		this.restocking.deliver();

		assertThat(onHand(low)).isEqualTo(505);
		assertThat(onHand(full)).isEqualTo(400);
		// The cached product was evicted, so readers see the delivery at once.
		assertThat(this.inventory.getProduct(getLow).getAvailable()).isEqualTo(505);
	}

	private String product(int units) {
		String sku = "sku-test-" + UUID.randomUUID();
		this.jdbc.sql("INSERT INTO products (id, name, price_cents) VALUES (:id, 'Test product', 100)")
			.param("id", sku)
			.update();
		this.jdbc.sql("INSERT INTO stock (product_id, on_hand) VALUES (:id, :units)")
			.param("id", sku)
			.param("units", units)
			.update();
		return sku;
	}

	private int onHand(String sku) {
		return this.jdbc.sql("SELECT on_hand FROM stock WHERE product_id = :id")
			.param("id", sku)
			.query(Integer.class)
			.single();
	}

}
