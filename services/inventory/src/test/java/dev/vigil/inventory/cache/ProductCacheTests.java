package dev.vigil.inventory.cache;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.vigil.inventory.InventoryIntegrationTest;
import dev.vigil.proto.inventory.v1.GetProductRequest;
import dev.vigil.proto.inventory.v1.Product;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ProductCacheTests extends InventoryIntegrationTest {

	@Autowired
	MeterRegistry meters;

	@Autowired
	StringRedisTemplate redisTemplate;

	@LocalServerPort
	int httpPort;

	@AfterEach
	void restartRedis() {
		ensureRedisRunning();
	}

	@Test
	void shouldMissThenHit() {
		GetProductRequest get = GetProductRequest.newBuilder().setId("sku-0010").build();
		// Retried as a whole: on a busy host the very first Redis connection of a JVM can time out, which the
		// service rightly treats as a miss and a short back-off.
		await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
			this.redisTemplate.delete("vigil:inventory:product:v1:sku-0010");
			double hits = count("hit");
			double misses = count("miss");

			Product first = this.inventory.getProduct(get);
			Product second = this.inventory.getProduct(get);

			assertThat(second).isEqualTo(first);
			assertThat(count("miss")).isEqualTo(misses + 1);
			assertThat(count("hit")).isEqualTo(hits + 1);
		});
		assertThat(this.redisTemplate.getExpire("vigil:inventory:product:v1:sku-0010")).isPositive();
	}

	@Test
	void shouldServeReadsFromPostgresWhileRedisIsDownAndRecoverAfterwards() throws Exception {
		GetProductRequest get = GetProductRequest.newBuilder().setId("sku-0011").build();
		Product expected = this.inventory.getProduct(get);

		redis.stop();
		double misses = count("miss");
		long started = System.nanoTime();
		for (int i = 0; i < 5; i++) {
			assertThat(this.inventory.getProduct(get)).isEqualTo(expected);
		}
		// Degrading must be cheap: requests fail over at once rather than each waiting out a Redis timeout.
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
		assertThat(count("miss")).isEqualTo(misses + 5);
		// The cache is optional, so its outage must not take the service out of rotation.
		HttpResponse<String> readiness = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.httpPort + "/actuator/health/readiness"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(readiness.statusCode()).isEqualTo(200);
		HttpResponse<String> health = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.httpPort + "/actuator/health")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(health.statusCode()).isEqualTo(200);

		ensureRedisRunning();
		double hits = count("hit");
		// Once Redis is back (and the back-off has expired) the cache fills and serves hits again.
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			assertThat(this.inventory.getProduct(get)).isEqualTo(expected);
			assertThat(count("hit")).isGreaterThan(hits);
		});
	}

	private double count(String result) {
		return this.meters.counter("vigil.cache.requests", "cache", "product", "result", result).count();
	}

}
