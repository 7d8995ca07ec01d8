package dev.vigil.inventory.stock;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param enabled whether simulated deliveries happen at all (default true)
 * @param interval time between deliveries (default 30s)
 * @param below products with fewer available units than this are restocked (default 50)
 * @param quantity units added to on-hand stock per delivery (default 500)
 */
@ConfigurationProperties("vigil.inventory.restock")
record RestockProperties(@DefaultValue("true") boolean enabled, @DefaultValue("30s") Duration interval,
		@DefaultValue("50") int below, @DefaultValue("500") int quantity) {

}
