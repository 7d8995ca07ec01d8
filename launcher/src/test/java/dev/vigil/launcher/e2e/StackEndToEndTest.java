package dev.vigil.launcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.launcher.supervisor.ManagedProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/** The shop on the whole stack, exercised through the gateway as a user would. */
@ExtendWith(SharedStack.Resolver.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StackEndToEndTest {

	final SharedStack shop;

	StackEndToEndTest(SharedStack shop) {
		this.shop = shop;
	}

	@Test
	@Order(1)
	void registerLoginBrowseOrderAndTheNotificationIsRecorded() throws Exception {
		shop.productId(0); // the full catalog is being served (waits while the JVMs are cold)
		var catalog = shop.get("/api/products", null);
		assertThat(catalog.statusCode()).isEqualTo(200);
		JsonNode products = SharedStack.JSON.readTree(catalog.body()).path("products");
		assertThat(products.size()).isGreaterThanOrEqualTo(10);
		String productId = products.get(0).path("id").asString();
		assertThat(shop.get("/api/products/" + productId, null).statusCode()).isEqualTo(200);

		String orderId = shop.placeOrder(productId, "e2e-" + UUID.randomUUID()).path("id").asString();
		assertThat(shop.get("/api/orders/" + orderId, shop.token).statusCode()).isEqualTo(200);
		assertThat(shop.get("/api/orders", shop.token).body()).contains(orderId);

		await().atMost(Duration.ofSeconds(60)).until(() -> shop.recorded(List.of(orderId)) == 1);
	}

	@Test
	@Order(2)
	void anOrderIsOneTraceAcrossGatewayOrdersInventoryPaymentsAndPostgres() throws Exception {
		shop.placeOrder(shop.productId(2), "trace-" + UUID.randomUUID());
		String query = "{ resource.service.name = \"vigil-orders\" && name =~ \".*PlaceOrder\" }";
		// Spans are exported in batches every few seconds; wait for a complete trace with a deadline.
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
			JsonNode traces = shop.telemetry("/api/search?limit=50&q=" + SharedStack.encode(query)).path("traces");
			assertThat(traces.size()).isPositive();
			Set<String> services = new TreeSet<>();
			boolean postgres = false;
			for (JsonNode batch : shop.telemetry("/api/traces/" + traces.get(0).path("traceID").asString())
				.path("batches")) {
				for (JsonNode attribute : batch.path("resource").path("attributes")) {
					if (attribute.path("key").asString().equals("service.name")) {
						services.add(attribute.path("value").path("stringValue").asString());
					}
				}
				postgres |= batch.toString().contains("\"db.system.name\",\"value\":{\"stringValue\":\"postgresql\"");
			}
			assertThat(services).contains("vigil-gateway", "vigil-orders", "vigil-inventory", "vigil-payments");
			assertThat(postgres).as("a PostgreSQL client span in the trace").isTrue();
		});
	}

	@Test
	@Order(3)
	void noOrderIsLostWhileKafkaIsDown() throws Exception {
		String productId = shop.productId(1);
		shop.stack.backingService("kafka").orElseThrow().stop();
		List<String> orderIds = new ArrayList<>();
		try {
			for (int i = 0; i < 50; i++) {
				orderIds.add(shop.placeOrder(productId, "kafka-down-" + i + "-" + UUID.randomUUID()).path("id").asString());
			}
			assertThat(shop.recorded(orderIds)).isZero();
		}
		finally {
			shop.stack.backingService("kafka").orElseThrow().start();
		}
		await().atMost(Duration.ofMinutes(3)).until(() -> shop.recorded(orderIds) == 50);
	}

	@Test
	@Order(4)
	void aKilledServiceIsRestartedByTheSupervisor() {
		ManagedProcess payments = shop.stack.supervisor().process("payments").orElseThrow();
		long before = payments.pid().orElseThrow();
		int restarts = payments.restarts();
		payments.kill();
		await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> {
			assertThat(payments.restarts()).isGreaterThan(restarts);
			assertThat(payments.pid()).isPresent().get().isNotEqualTo(before);
			assertThat(payments.state()).isEqualTo(ManagedProcess.State.READY);
		});
	}

}
