package dev.vigil.inventory.cache;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import dev.vigil.inventory.catalog.Product;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;

/**
 * Cache-aside for single products, stored as JSON under {@code vigil:inventory:product:v1:<id>} with a TTL.
 * <p>
 * The whole product is cached, including {@code available}. Caching only the static fields would still need a
 * PostgreSQL round trip per read for the stock level, which is the expensive part, so the cache would save
 * nothing. Instead stock-sensitive entries are evicted after every reservation or release commits, and the TTL
 * bounds the remaining race (a reader that loaded the old row before the commit and writes it back after the
 * eviction). A stale {@code available} can only mislead a shopper for a moment; it can never cause overselling,
 * because reservations are decided by a conditional UPDATE in PostgreSQL, not by the cached value.
 * <p>
 * Redis is optional: every failure is logged, counted and answered as a miss, and after one the cache is
 * bypassed for {@code retry-after} so that an outage costs requests nothing.
 */
@Component
public class ProductCache {

	private static final Log logger = LogFactory.getLog(ProductCache.class);

	private static final String KEY_PREFIX = "vigil:inventory:product:v1:";

	private final StringRedisTemplate redis;

	private final JsonMapper json;

	private final Duration ttl;

	private final long retryAfterNanos;

	private final Counter hits;

	private final Counter misses;

	private final Counter errors;

	private final AtomicLong bypassUntil = new AtomicLong(System.nanoTime());

	ProductCache(StringRedisTemplate redis, JsonMapper json, CacheProperties properties, MeterRegistry meters) {
		this.redis = redis;
		this.json = json;
		this.ttl = properties.ttl();
		this.retryAfterNanos = properties.retryAfter().toNanos();
		this.hits = requests(meters, "hit");
		this.misses = requests(meters, "miss");
		this.errors = Counter.builder("vigil.cache.errors")
			.description("Redis operations that failed and fell back to PostgreSQL")
			.tag("cache", "product")
			.register(meters);
	}

	private static Counter requests(MeterRegistry meters, String result) {
		return Counter.builder("vigil.cache.requests")
			.description("Product cache lookups by result")
			.tag("cache", "product")
			.tag("result", result)
			.register(meters);
	}

	public Optional<Product> get(String id) {
		if (bypassing()) {
			this.misses.increment();
			return Optional.empty();
		}
		try {
			String cached = this.redis.opsForValue().get(key(id));
			if (cached == null) {
				this.misses.increment();
				return Optional.empty();
			}
			Product product = this.json.readValue(cached, Product.class);
			this.hits.increment();
			return Optional.of(product);
		}
		catch (RuntimeException ex) {
			failed("get", ex);
			this.misses.increment();
			return Optional.empty();
		}
	}

	public void put(Product product) {
		if (bypassing()) {
			return;
		}
		try {
			this.redis.opsForValue().set(key(product.id()), this.json.writeValueAsString(product), this.ttl);
		}
		catch (RuntimeException ex) {
			failed("put", ex);
		}
	}

	/**
	 * Evicts regardless of the back-off: a missed eviction leaves a stale entry for a whole TTL, so it is worth one
	 * (fast-failing) attempt.
	 */
	public void evict(Collection<String> productIds) {
		if (productIds.isEmpty()) {
			return;
		}
		try {
			List<String> keys = productIds.stream().map(ProductCache::key).toList();
			this.redis.delete(keys);
		}
		catch (RuntimeException ex) {
			failed("evict", ex);
		}
	}

	private boolean bypassing() {
		return System.nanoTime() - this.bypassUntil.get() < 0;
	}

	private void failed(String operation, RuntimeException ex) {
		this.errors.increment();
		long until = System.nanoTime() + this.retryAfterNanos;
		long previous = this.bypassUntil.getAndSet(until);
		// Log once per outage window rather than once per request.
		if (System.nanoTime() - previous >= 0) {
			logger.warn("Redis " + operation + " failed, serving products from PostgreSQL for the next "
					+ Duration.ofNanos(this.retryAfterNanos) + ": " + ex.getMessage());
		}
	}

	private static String key(String id) {
		return KEY_PREFIX + id;
	}

}
