package dev.vigil.orders.placement;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import com.google.protobuf.util.JsonFormat;
import dev.vigil.orders.support.FakeInventory;
import dev.vigil.orders.support.FakePayments;
import dev.vigil.orders.support.OrdersClient;
import dev.vigil.orders.support.OrdersTestBackends;
import dev.vigil.orders.support.TopicReader;
import dev.vigil.platform.telemetry.testing.InMemorySpans;
import dev.vigil.proto.orders.v1.GetOrderRequest;
import dev.vigil.proto.orders.v1.ListOrdersRequest;
import dev.vigil.proto.orders.v1.Order;
import dev.vigil.proto.orders.v1.OrderLine;
import dev.vigil.proto.orders.v1.OrderPlaced;
import dev.vigil.proto.orders.v1.PlaceOrderRequest;
import dev.vigil.proto.payments.v1.ChargeRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import static dev.vigil.orders.support.OrdersClient.line;
import static io.opentelemetry.api.common.AttributeKey.stringKey;
import static dev.vigil.orders.support.OrdersClient.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Placement end to end: real gRPC in and out (test-owned inventory and payments servers), real PostgreSQL, a real
 * in-process Kafka broker for the outbox relay.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@EmbeddedKafka(partitions = 3, topics = "orders.v1", bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Import(InMemorySpans.Configuration.class)
class OrderPlacementTests {

	static final OrdersTestBackends backends = new OrdersTestBackends();

	@DynamicPropertySource
	static void backends(DynamicPropertyRegistry registry) {
		backends.register(registry);
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

	@Autowired
	InMemorySpans spans;

	@Value("${local.grpc.server.port}")
	int grpcPort;

	@LocalServerPort
	int httpPort;

	@Value("${spring.kafka.bootstrap-servers}")
	String bootstrapServers;

	OrdersClient orders;

	final FakeInventory inventory = backends.inventory;

	final FakePayments payments = backends.payments;

	@BeforeAll
	void connect() {
		this.orders = new OrdersClient(this.grpcPort);
	}

	@AfterAll
	void disconnect() {
		this.orders.close();
	}

	@Test
	void shouldPersistOrderAndPublishOrderPlaced() throws Exception {
		this.inventory.stock("sku-happy", 10);

		Order order = this.orders.stub().placeOrder(request("alice", "key-1", line("sku-happy", 2)));

		assertThat(order.getStatus()).isEqualTo(Order.Status.CONFIRMED);
		assertThat(order.getCustomerId()).isEqualTo("alice");
		assertThat(order.getTotalCents()).isEqualTo(2 * FakeInventory.PRICE_CENTS);
		assertThat(order.getCurrency()).isEqualTo("EUR");
		assertThat(order.getPaymentId()).startsWith("pay-");
		assertThat(order.getLinesList()).containsExactly(line("sku-happy", 2));
		assertThat(this.inventory.available("sku-happy")).isEqualTo(8);
		assertThat(this.orders.stub()
			.getOrder(GetOrderRequest.newBuilder().setCustomerId("alice").setOrderId(order.getId()).build()))
			.isEqualTo(order);

		try (TopicReader reader = new TopicReader(this.bootstrapServers, "orders.v1")) {
			await().atMost(Duration.ofSeconds(30)).until(() -> !reader.withKey(order.getId()).isEmpty());
			ConsumerRecord<String, String> record = reader.withKey(order.getId()).get(0);
			OrderPlaced.Builder event = OrderPlaced.newBuilder();
			JsonFormat.parser().merge(record.value(), event);
			assertThat(event.getOrderId()).isEqualTo(order.getId());
			assertThat(event.getCustomerId()).isEqualTo("alice");
			assertThat(event.getTotalCents()).isEqualTo(order.getTotalCents());
			assertThat(event.getCurrency()).isEqualTo("EUR");
			assertThat(event.getLinesList()).isEqualTo(order.getLinesList());
			assertThat(event.getCreatedAt()).isEqualTo(order.getCreatedAt());
			// The relay sends under the placing request's trace, so the event belongs to the order's trace.
			String storedTraceParent = this.jdbc.sql("select traceparent from outbox where aggregate_id = :id")
				.param("id", java.util.UUID.fromString(order.getId()))
				.query(String.class)
				.single();
			assertThat(storedTraceParent).isNotNull();
			Header sentTraceParent = record.headers().lastHeader("traceparent");
			assertThat(sentTraceParent).isNotNull();
			assertThat(new String(sentTraceParent.value(), StandardCharsets.UTF_8).split("-")[1])
				.isEqualTo(storedTraceParent.split("-")[1]);
		}
		await().untilAsserted(() -> assertThat(this.jdbc
			.sql("select count(*) from outbox where aggregate_id = :id and published_at is not null")
			.param("id", java.util.UUID.fromString(order.getId()))
			.query(Long.class)
			.single()).isEqualTo(1));
		assertThat(this.meters.get("vigil.orders.placed").counter().count()).isPositive();
		assertThat(this.meters.get("vigil.revenue.cents").counter().count()).isGreaterThanOrEqualTo(2500);
	}

	@Test
	void placingAnOrderIsOneTraceWithItsGrpcCallsQueriesAndTheOutboxRelaysProducerSpan() {
		this.inventory.stock("sku-traced", 10);

		Order order = this.orders.stub().placeOrder(request("traced", "key-traced", line("sku-traced", 1)));

		SpanData server = this.spans.await("PlaceOrder server span",
				(s) -> s.getKind() == SpanKind.SERVER && s.getName().equals("vigil.orders.v1.OrderService/PlaceOrder"));
		assertThat(server.getAttributes().asMap()).containsEntry(stringKey("rpc.system"), "grpc")
			.containsEntry(stringKey("rpc.service"), "vigil.orders.v1.OrderService")
			.containsEntry(stringKey("rpc.method"), "PlaceOrder");
		// The relay publishes later, on its own thread; its producer span must still land in this trace.
		SpanData producer = this.spans.await("producer span of the order's event",
				(s) -> s.getKind() == SpanKind.PRODUCER && s.getTraceId().equals(server.getTraceId()));
		List<SpanData> trace = this.spans.trace(server.getTraceId());
		assertThat(trace).extracting(SpanData::getName)
			.contains("vigil.inventory.v1.InventoryService/ReserveStock", "vigil.payments.v1.PaymentService/Charge");
		assertThat(trace).as("PostgreSQL client spans of the placement")
			.anyMatch(InMemorySpans.attribute("db.system.name", "postgresql"));
		assertThat(producer.getName()).isEqualTo("send orders.v1");
		assertThat(producer.getAttributes().asMap()).containsEntry(stringKey("messaging.system"), "kafka")
			.containsEntry(stringKey("messaging.destination.name"), "orders.v1")
			.containsEntry(stringKey("messaging.operation.type"), "send");
		assertThat(trace).extracting(SpanData::getSpanId).contains(producer.getParentSpanId());
		assertThat(order.getId()).isNotBlank();
		assertThat(this.meters.find("rpc.server.duration").tag("rpc.method", "PlaceOrder").timer()).isNotNull();
		assertThat(this.meters.find("rpc.client.duration").tag("rpc.method", "Charge").timer()).isNotNull();
		assertThat(this.meters.find("messaging.client.sent.messages").tag("error.type", "none").counter()).isNotNull();
	}

	@Test
	void shouldReturnOneOrderToTwentyConcurrentIdenticalRequests() throws Exception {
		this.inventory.stock("sku-dup", 100);
		PlaceOrderRequest request = request("dup-customer", "same-key", line("sku-dup", 3));
		int reservesBefore = this.inventory.reserveCalls().size();
		int chargesBefore = this.payments.chargeCalls().size();

		ExecutorService pool = Executors.newFixedThreadPool(20);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Order>> futures = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				futures.add(pool.submit(() -> {
					start.await();
					return this.orders.stub().placeOrder(request);
				}));
			}
			start.countDown();
			List<Order> responses = new ArrayList<>();
			for (Future<Order> future : futures) {
				responses.add(future.get());
			}

			assertThat(responses).hasSize(20);
			assertThat(new HashSet<>(responses)).hasSize(1);
			assertThat(countOrders("dup-customer")).isEqualTo(1);
			assertThat(this.inventory.reserveCalls().size() - reservesBefore).isEqualTo(1);
			assertThat(this.payments.chargeCalls().size() - chargesBefore).isEqualTo(1);
			assertThat(this.inventory.available("sku-dup")).isEqualTo(97);
			// A later repeat is answered from the database, identically.
			assertThat(this.orders.stub().placeOrder(request)).isEqualTo(responses.get(0));
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void shouldReleaseReservationWhenPaymentIsDeclined() {
		this.inventory.stock("sku-declined", 5);
		PlaceOrderRequest request = request(FakePayments.DECLINED_PREFIX + "bob", "key-d", line("sku-declined", 2));

		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> this.orders.stub().placeOrder(request))
			.satisfies((ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
				assertThat(ex.getStatus().getDescription()).isEqualTo("payment declined: insufficient_funds");
			});

		String orderId = chargesOf(request.getCustomerId()).get(0).getIdempotencyKey();
		assertThat(this.inventory.releaseCalls()).contains(orderId);
		assertThat(this.inventory.available("sku-declined")).isEqualTo(5);
		assertThat(countOrders(request.getCustomerId())).isZero();
		// The decline is the answer for this key: a repeat replays it without charging again.
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> this.orders.stub().placeOrder(request))
			.satisfies((ex) -> assertThat(ex.getStatus().getDescription())
				.isEqualTo("payment declined: insufficient_funds"));
		assertThat(chargesOf(request.getCustomerId())).hasSize(1);
	}

	@Test
	void shouldPassThroughOutOfStockAndUnknownProduct() {
		this.inventory.stock("sku-scarce", 1);

		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> this.orders.stub().placeOrder(request("carol", "key-s", line("sku-scarce", 2))))
			.satisfies((ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
				assertThat(ex.getStatus().getDescription()).isEqualTo("out of stock: sku-scarce");
			});
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> this.orders.stub().placeOrder(request("carol", "key-u", line("sku-nope", 1))))
			.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
		assertThat(chargesOf("carol")).isEmpty();
		assertThat(countOrders("carol")).isZero();
	}

	@Test
	void shouldBeUnavailableWithoutOrderWhenInventoryIsDown() {
		this.inventory.stock("sku-outage", 5);
		PlaceOrderRequest request = request("dave", "key-i", line("sku-outage", 1));
		backends.inventoryServer.stop();
		try {
			assertThatExceptionOfType(StatusRuntimeException.class)
				.isThrownBy(() -> this.orders.stub().placeOrder(request))
				.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
			assertThat(countOrders("dave")).isZero();
			assertThat(chargesOf("dave")).isEmpty();
		}
		finally {
			backends.inventoryServer.start();
		}
		// UNAVAILABLE promises that a retry with the same key is safe: once inventory is back, it succeeds.
		await().atMost(Duration.ofSeconds(30))
			.ignoreException(StatusRuntimeException.class)
			.until(() -> this.orders.stub().placeOrder(request).getStatus() == Order.Status.CONFIRMED);
		assertThat(countOrders("dave")).isEqualTo(1);
	}

	@Test
	void shouldReleaseReservationAndBeUnavailableWhenPaymentsIsDown() {
		this.inventory.stock("sku-nopay", 5);
		PlaceOrderRequest request = request("erin", "key-p", line("sku-nopay", 1));
		int reservesBefore = this.inventory.reserveCalls().size();
		backends.paymentsServer.stop();
		try {
			assertThatExceptionOfType(StatusRuntimeException.class)
				.isThrownBy(() -> this.orders.stub().placeOrder(request))
				.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
			String reservationId = this.inventory.reserveCalls().get(reservesBefore).getReservationId();
			assertThat(this.inventory.releaseCalls()).contains(reservationId);
			assertThat(this.inventory.available("sku-nopay")).isEqualTo(5);
			assertThat(countOrders("erin")).isZero();
		}
		finally {
			backends.paymentsServer.start();
		}
		await().atMost(Duration.ofSeconds(30))
			.ignoreException(StatusRuntimeException.class)
			.until(() -> this.orders.stub().placeOrder(request).getStatus() == Order.Status.CONFIRMED);
	}

	@Test
	void shouldRejectInvalidRequestsBeforeTouchingInventory() {
		int reservesBefore = this.inventory.reserveCalls().size();
		List<OrderLine> tooMany = IntStream.range(0, 51).mapToObj((i) -> line("sku-" + i, 1)).toList();
		List<PlaceOrderRequest> invalid = List.of(request("frank", "k"), request("frank", "k", line("sku-1", 0)),
				request("frank", "k", line("sku-1", 101)), request("frank", "k", line("", 1)),
				request("frank", "", line("sku-1", 1)), request("", "k", line("sku-1", 1)),
				request("frank", "k").toBuilder().addAllLines(tooMany).build());

		for (PlaceOrderRequest request : invalid) {
			assertThatExceptionOfType(StatusRuntimeException.class)
				.isThrownBy(() -> this.orders.stub().placeOrder(request))
				.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
		}
		assertThat(this.inventory.reserveCalls()).hasSize(reservesBefore);
	}

	@Test
	void shouldRejectReuseOfKeyForDifferentOrder() {
		this.inventory.stock("sku-reuse", 10);
		this.orders.stub().placeOrder(request("gina", "key-r", line("sku-reuse", 1)));

		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> this.orders.stub().placeOrder(request("gina", "key-r", line("sku-reuse", 2))))
			.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
	}

	@Test
	void shouldScopeReadsToTheCustomer() {
		this.inventory.stock("sku-read", 10);
		Order first = this.orders.stub().placeOrder(request("hank", "key-1", line("sku-read", 1)));
		Order second = this.orders.stub().placeOrder(request("hank", "key-2", line("sku-read", 2)));

		assertThat(this.orders.stub().listOrders(ListOrdersRequest.newBuilder().setCustomerId("hank").build())
			.getOrdersList()).containsExactlyInAnyOrder(first, second);
		assertThat(this.orders.stub().listOrders(ListOrdersRequest.newBuilder().setCustomerId("ivy").build())
			.getOrdersList()).isEmpty();
		for (GetOrderRequest request : List.of(
				GetOrderRequest.newBuilder().setCustomerId("ivy").setOrderId(first.getId()).build(),
				GetOrderRequest.newBuilder().setCustomerId("hank").setOrderId("not-a-uuid").build())) {
			assertThatExceptionOfType(StatusRuntimeException.class)
				.isThrownBy(() -> this.orders.stub().getOrder(request))
				.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
		}
	}

	@Test
	void shouldExposeLivenessAndReadiness() {
		RestClient http = RestClient.create("http://127.0.0.1:" + this.httpPort);
		assertThat(http.get().uri("/actuator/health/liveness").retrieve().body(String.class)).contains("UP");
		assertThat(http.get().uri("/actuator/health/readiness").retrieve().body(String.class)).contains("UP");
	}

	private long countOrders(String customerId) {
		return this.jdbc.sql("select count(*) from orders where customer_id = :c")
			.param("c", customerId)
			.query(Long.class)
			.single();
	}

	private List<ChargeRequest> chargesOf(String customerId) {
		return this.payments.chargeCalls().stream().filter((c) -> c.getCustomerId().equals(customerId)).toList();
	}

}
