package dev.vigil.orders.outbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.vigil.orders.support.OrdersClient;
import dev.vigil.orders.support.OrdersTestBackends;
import dev.vigil.orders.support.TcpForwarder;
import dev.vigil.orders.support.TopicReader;
import dev.vigil.proto.orders.v1.Order;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.vigil.orders.support.OrdersClient.line;
import static dev.vigil.orders.support.OrdersClient.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The outbox decouples order placement from Kafka: with no broker, orders are still accepted and the outbox grows;
 * once a broker appears at the configured address every waiting event is published.
 */
@SpringBootTest(properties = { "spring.kafka.admin.operation-timeout=1s", "spring.kafka.admin.close-timeout=1s",
		"spring.kafka.producer.properties.max.block.ms=500" })
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutboxRelayKafkaOutageTests {

	static final OrdersTestBackends backends = new OrdersTestBackends();

	/** Nothing listens here until the test starts a broker on it. */
	static final int kafkaPort = freePort();

	@DynamicPropertySource
	static void backends(DynamicPropertyRegistry registry) {
		backends.register(registry);
		registry.add("spring.kafka.bootstrap-servers", () -> "127.0.0.1:" + kafkaPort);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Backends {

		@Bean
		SmartLifecycle backendsLifecycle() {
			return backends.closeAfterApplication();
		}

	}

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MeterRegistry meters;

	@Value("${local.grpc.server.port}")
	int grpcPort;

	OrdersClient orders;

	EmbeddedKafkaKraftBroker broker;

	TcpForwarder forwarder;

	@BeforeAll
	void connect() {
		this.orders = new OrdersClient(this.grpcPort);
	}

	@AfterAll
	void disconnect() {
		this.orders.close();
		if (this.forwarder != null) {
			this.forwarder.close();
		}
		if (this.broker != null) {
			this.broker.destroy();
		}
	}

	@Test
	void shouldAcceptOrdersWhileKafkaIsDownAndPublishThemWhenItIsBack() {
		backends.inventory.stock("sku-outbox", 10);
		List<Order> placed = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			placed.add(this.orders.stub().placeOrder(request("olga", "key-" + i, line("sku-outbox", 1))));
		}
		assertThat(placed).allSatisfy((order) -> assertThat(order.getStatus()).isEqualTo(Order.Status.CONFIRMED));

		// The relay has tried and failed (the gauge is refreshed after each attempt); nothing was marked published.
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.meters.get("vigil.outbox.backlog").gauge().value()).isEqualTo(3));
		assertThat(unpublished()).isEqualTo(3);
		assertThat(this.meters.get("vigil.outbox.oldest.age").gauge().value()).isGreaterThanOrEqualTo(0);

		// Kafka comes up at the address the service was configured with (see TcpForwarder for why a forwarder).
		this.broker = new EmbeddedKafkaKraftBroker(1, 3, "orders.v1");
		this.broker.afterPropertiesSet();
		String[] brokerAddress = this.broker.getBrokersAsString().split(",")[0].split(":");
		this.forwarder = new TcpForwarder(kafkaPort, brokerAddress[0], Integer.parseInt(brokerAddress[1]));

		await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(unpublished()).isZero());
		try (TopicReader reader = new TopicReader(this.broker.getBrokersAsString(), "orders.v1")) {
			List<String> ids = placed.stream().map(Order::getId).toList();
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(reader.poll().stream().map(ConsumerRecord::key).toList())
					.containsExactlyInAnyOrderElementsOf(ids));
		}
		await().untilAsserted(() -> assertThat(this.meters.get("vigil.outbox.backlog").gauge().value()).isZero());
	}

	private long unpublished() {
		return this.jdbc.sql("select count(*) from outbox where published_at is null").query(Long.class).single();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
