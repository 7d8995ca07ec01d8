package dev.vigil.inventory.cache;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param ttl how long a cached product may be served; bounds staleness when an invalidation is missed
 * @param retryAfter after a Redis failure, how long to go straight to PostgreSQL before trying Redis again
 */
@ConfigurationProperties("vigil.inventory.cache")
record CacheProperties(@DefaultValue("30s") Duration ttl, @DefaultValue("2s") Duration retryAfter) {

}
