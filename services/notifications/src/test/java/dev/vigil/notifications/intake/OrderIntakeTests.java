package dev.vigil.notifications.intake;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import com.google.protobuf.util.JsonFormat;
import dev.vigil.platform.testing.TestPostgres;
import dev.vigil.proto.orders.v1.OrderLine;
import dev.vigil.platform.telemetry.testing.InMemorySpans;
import dev.vigil.proto.orders.v1.OrderPlaced;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The consumer against a real PostgreSQL and a real in-process Kafka broker: records each order once, dead-letters
 * poison without blocking the partition.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "vigil.notifications.retry-delay=200")
@EmbeddedKafka(partitions = 3, topics = "orders.v1", bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
@Import(InMemorySpans.Configuration.class)
class OrderIntakeTests {

	static final EmbeddedPostgres postgres = TestPostgres.start();

	@DynamicPropertySource
	static void postgres(DynamicPropertyRegistry registry) {
		TestPostgres.registerDataSource(registry, postgres);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Postgres {

		/** Stops PostgreSQL in the last shutdown phase, after the listener containers. */
		@Bean
		SmartLifecycle postgresLifecycle() {
			return TestPostgres.stopAfterApplication(() -> TestPostgres.close(postgres));
		}

	}

	@Autowired
	KafkaTemplate<String, String> kafka;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MeterRegistry meters;

	@Autowired
	InMemorySpans spans;

	@Value("${spring.kafka.bootstrap-servers}")
	String bootstrapServers;

	@LocalServerPort
	int httpPort;

	@Test
	void shouldRecordOrderAndSendConfirmation() throws Exception {
		OrderPlaced order = order();

		publish(0, order.getOrderId(), json(order));

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(sent(order.getOrderId())).isEqualTo(1));
		assertThat(this.jdbc.sql("select customer_id, total_cents, line_count from received_orders where order_id = :id")
			.param("id", order.getOrderId())
			.query((rs, n) -> rs.getString(1) + "/" + rs.getLong(2) + "/" + rs.getInt(3))
			.single()).isEqualTo("customer-1/2500/1");
	}

	@Test
	void eachMessageIsProcessedInANewTraceLinkedToItsProducerSpan() throws Exception {
		OrderPlaced order = order();
		String producerTraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
		ProducerRecord<String, String> record = new ProducerRecord<>("orders.v1", 0, order.getOrderId(), json(order));
		// As the orders outbox relay sends it: the placing request's context on the record.
		record.headers().add("traceparent", ("00-" + producerTraceId + "-00f067aa0ba902b7-01").getBytes(java.nio.charset.StandardCharsets.UTF_8));

		this.kafka.send(record).get();

		// This test's KafkaTemplate is traced too: its PRODUCER span continues the header's trace and re-injects
		// its own context, which is what the consumer must link to.
		SpanData producer = this.spans.await("producer span",
				(s) -> s.getKind() == SpanKind.PRODUCER && s.getTraceId().equals(producerTraceId));
		SpanData consumer = this.spans.await("consumer span of " + order.getOrderId(),
				(s) -> s.getKind() == SpanKind.CONSUMER && s.getLinks().stream()
					.map(LinkData::getSpanContext)
					.anyMatch((link) -> link.getSpanId().equals(producer.getSpanId())));
		assertThat(consumer.getName()).isEqualTo("process orders.v1");
		assertThat(consumer.getTraceId()).as("a new trace").isNotEqualTo(producerTraceId);
		assertThat(consumer.getParentSpanContext().isValid()).as("a root span").isFalse();
		assertThat(consumer.getLinks()).singleElement()
			.satisfies((link) -> assertThat(link.getSpanContext().getTraceId()).isEqualTo(producerTraceId));
		assertThat(consumer.getAttributes().asMap()).containsEntry(stringKey("messaging.system"), "kafka")
			.containsEntry(stringKey("messaging.destination.name"), "orders.v1")
			.containsEntry(stringKey("messaging.operation.type"), "process")
			.containsEntry(stringKey("messaging.destination.partition.id"), "0")
			.containsKey(stringKey("messaging.consumer.group.name"));
		// The listener's own work (recording the order) is in the consumer's trace.
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.spans.trace(consumer.getTraceId()))
				.anyMatch(InMemorySpans.attribute("db.system.name", "postgresql")));
		assertThat(this.meters.find("messaging.process.duration").tag("messaging.destination.name", "orders.v1").timer())
			.isNotNull();
	}

	@Test
	void shouldRecordRedeliveredOrderOnce() throws Exception {
		OrderPlaced order = order();
		OrderPlaced marker = order();

		publish(1, order.getOrderId(), json(order));
		publish(1, order.getOrderId(), json(order));
		// Same partition, later offset: once the marker is processed, both copies have been.
		publish(1, marker.getOrderId(), json(marker));

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(sent(marker.getOrderId())).isEqualTo(1));
		assertThat(received(order.getOrderId())).isEqualTo(1);
		assertThat(sent(order.getOrderId())).isEqualTo(1);
	}

	@Test
	void shouldDeadLetterPoisonAndKeepConsumingThePartition() throws Exception {
		double deadLetteredBefore = this.meters.get("vigil.dead.lettered").counter().count();
		OrderPlaced after = order();
		String poisonKey = "poison-" + UUID.randomUUID();

		publish(2, poisonKey, "{this is not json");
		publish(2, after.getOrderId(), json(after));

		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(sent(after.getOrderId())).isEqualTo(1));
		List<ConsumerRecord<String, String>> deadLetters = new CopyOnWriteArrayList<>();
		try (KafkaConsumer<String, String> dlt = consumer("orders.v1.dlt")) {
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
				dlt.poll(Duration.ofMillis(200)).forEach(deadLetters::add);
				assertThat(deadLetters).anySatisfy((record) -> {
					assertThat(record.key()).isEqualTo(poisonKey);
					assertThat(record.value()).isEqualTo("{this is not json");
				});
			});
		}
		await().untilAsserted(() -> assertThat(this.meters.get("vigil.dead.lettered").counter().count())
			.isEqualTo(deadLetteredBefore + 1));
		assertThat(this.jdbc.sql("select count(*) from received_orders where order_id = :id")
			.param("id", poisonKey)
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void shouldExposeProbesAndConsumerLag() {
		RestClient http = RestClient.create("http://127.0.0.1:" + this.httpPort);
		assertThat(http.get().uri("/actuator/health/liveness").retrieve().body(String.class)).contains("UP");
		assertThat(http.get().uri("/actuator/health/readiness").retrieve().body(String.class)).contains("UP");
		// Kafka client metrics are bound to the registry: the consumer group's lag (records-lag-max; per-partition
		// records-lag appears once a partition has been fetched from).
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.meters.find("kafka.consumer.fetch.manager.records.lag.max").meters())
				.isNotEmpty());
	}

	private void publish(int partition, String key, String value) throws Exception {
		this.kafka.send(new ProducerRecord<>("orders.v1", partition, key, value)).get();
	}

	private KafkaConsumer<String, String> consumer(String topic) {
		KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
				Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, this.bootstrapServers, ConsumerConfig.GROUP_ID_CONFIG,
						"test-" + UUID.randomUUID(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
				new StringDeserializer(), new StringDeserializer());
		consumer.subscribe(List.of(topic));
		return consumer;
	}

	private long received(String orderId) {
		return this.jdbc.sql("select count(*) from received_orders where order_id = :id")
			.param("id", orderId)
			.query(Long.class)
			.single();
	}

	private long sent(String orderId) {
		return this.jdbc.sql("select count(*) from sent_notifications where order_id = :id")
			.param("id", orderId)
			.query(Long.class)
			.single();
	}

	private static OrderPlaced order() {
		return OrderPlaced.newBuilder()
			.setOrderId(UUID.randomUUID().toString())
			.setCustomerId("customer-1")
			.setTotalCents(2500)
			.setCurrency("EUR")
			.addLines(OrderLine.newBuilder().setProductId("sku-1").setQuantity(2))
			.setCreatedAt("2026-01-01T00:00:00Z")
			.build();
	}

	private static String json(OrderPlaced order) throws Exception {
		return JsonFormat.printer().omittingInsignificantWhitespace().print(order);
	}

}
