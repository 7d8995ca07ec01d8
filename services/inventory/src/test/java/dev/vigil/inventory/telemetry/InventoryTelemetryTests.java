package dev.vigil.inventory.telemetry;

import java.time.Duration;
import java.util.List;

import dev.vigil.inventory.InventoryIntegrationTest;
import dev.vigil.platform.telemetry.testing.InMemorySpans;
import dev.vigil.proto.inventory.v1.GetProductRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;

import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a product read leaves in the telemetry (in-memory span exporter): the gRPC server span and, on a cache miss,
 * its PostgreSQL and Redis client spans in the same trace; the cache metrics.
 */
class InventoryTelemetryTests extends InventoryIntegrationTest {

	@Autowired
	InMemorySpans spans;

	@Autowired
	MeterRegistry meters;

	@Autowired
	StringRedisTemplate redis;

	@Test
	void aCacheMissIsAGrpcServerSpanWithPostgresAndRedisClientSpans() {
		// Retried as a whole: a JVM's first Redis connection can time out on a busy host (the read then skips Redis).
		await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
			this.redis.delete("vigil:inventory:product:v1:sku-0007");
			this.spans.reset();

			this.inventory.getProduct(GetProductRequest.newBuilder().setId("sku-0007").build());

			SpanData server = this.spans.await("GetProduct server span", (s) -> s.getKind() == SpanKind.SERVER
					&& s.getName().equals("vigil.inventory.v1.InventoryService/GetProduct"));
			assertThat(server.getAttributes().asMap()).containsEntry(stringKey("rpc.system"), "grpc")
				.containsEntry(stringKey("rpc.method"), "GetProduct");
			List<SpanData> clients = this.spans.trace(server.getTraceId())
				.stream()
				.filter((s) -> s.getKind() == SpanKind.CLIENT)
				.toList();
			assertThat(clients).as("the PostgreSQL read").anyMatch(InMemorySpans.attribute("db.system.name", "postgresql"));
			assertThat(clients).as("the Redis cache calls (Lettuce observation)")
				.anyMatch(InMemorySpans.attribute("db.system", "redis").or(InMemorySpans.attribute("db.system.name", "redis")));
		});
		assertThat(this.meters.find("vigil.cache.requests").tag("result", "miss").counter()).isNotNull();
		assertThat(this.meters.find("rpc.server.duration").tag("rpc.method", "GetProduct").timer()).isNotNull();
	}

}
