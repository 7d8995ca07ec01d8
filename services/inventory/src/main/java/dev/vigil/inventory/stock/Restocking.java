package dev.vigil.inventory.stock;

import java.util.List;

import dev.vigil.inventory.cache.ProductCache;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Simulated supplier deliveries. Reservations that orders keep are sold units that never return, so a shop under
 * continuous load would otherwise run out of everything and turn every order into a FAILED_PRECONDITION.
 * Increasing {@code on_hand} can only make more units available, so it is safe alongside concurrent reservations;
 * rows are locked in product-id order, like reservations do, so the two cannot deadlock.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties(RestockProperties.class)
@ConditionalOnBooleanProperty(name = "vigil.inventory.restock.enabled", matchIfMissing = true)
class Restocking {

	private static final Log logger = LogFactory.getLog(Restocking.class);

	private final JdbcClient jdbc;

	private final ProductCache cache;

	private final RestockProperties properties;

	Restocking(JdbcClient jdbc, ProductCache cache, RestockProperties properties) {
		this.jdbc = jdbc;
		this.cache = cache;
		this.properties = properties;
	}

	@Scheduled(fixedDelayString = "${vigil.inventory.restock.interval:30s}",
			initialDelayString = "${vigil.inventory.restock.interval:30s}")
	void deliver() {
		List<String> restocked = this.jdbc.sql("""
				UPDATE stock s SET on_hand = s.on_hand + :quantity, version = s.version + 1
				FROM (SELECT product_id FROM stock WHERE on_hand - reserved < :below
				      ORDER BY product_id FOR UPDATE) low
				WHERE s.product_id = low.product_id
				RETURNING s.product_id
				""")
			.param("quantity", this.properties.quantity())
			.param("below", this.properties.below())
			.query(String.class)
			.list();
		if (!restocked.isEmpty()) {
			this.cache.evict(restocked);
			logger.info("Restocked " + restocked.size() + " products with " + this.properties.quantity()
					+ " units each");
		}
	}

}
