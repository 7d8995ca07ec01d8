package dev.vigil.inventory.stock;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.vigil.inventory.InventoryIntegrationTest;
import dev.vigil.proto.inventory.v1.GetProductRequest;
import dev.vigil.proto.inventory.v1.ReleaseReservationRequest;
import dev.vigil.proto.inventory.v1.Reservation;
import dev.vigil.proto.inventory.v1.ReservationLine;
import dev.vigil.proto.inventory.v1.ReserveStockRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StockReservationTests extends InventoryIntegrationTest {

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MeterRegistry meters;

	@Test
	void shouldNeverOversellUnderConcurrentReservations() throws Exception {
		String sku = newProduct(10, 1_000);
		int callers = 100;
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(32);
		List<Future<Status.Code>> results = new ArrayList<>();
		try {
			for (int i = 0; i < callers; i++) {
				results.add(pool.submit(() -> {
					start.await();
					try {
						this.inventory.reserveStock(request(UUID.randomUUID().toString(), sku, 1));
						return Status.Code.OK;
					}
					catch (StatusRuntimeException ex) {
						return ex.getStatus().getCode();
					}
				}));
			}
			start.countDown();
			List<Status.Code> codes = new ArrayList<>();
			for (Future<Status.Code> result : results) {
				codes.add(result.get(60, TimeUnit.SECONDS));
			}

			assertThat(codes).filteredOn((c) -> c == Status.Code.OK).hasSize(10);
			assertThat(codes).filteredOn((c) -> c == Status.Code.FAILED_PRECONDITION).hasSize(90);
			assertThat(available(sku)).isZero();
			assertThat(this.inventory.getProduct(GetProductRequest.newBuilder().setId(sku).build()).getAvailable())
				.isZero();
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void shouldReportInsufficientStockWithProductInDescription() {
		String sku = newProduct(3, 500);
		double before = outcome("insufficient");

		assertThatThrownBy(() -> this.inventory.reserveStock(request("r-" + UUID.randomUUID(), sku, 4)))
			.isInstanceOfSatisfying(StatusRuntimeException.class, (ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
				assertThat(ex.getStatus().getDescription())
					.isEqualTo("insufficient stock for " + sku + ": requested 4, available 3");
			});
		assertThat(outcome("insufficient")).isEqualTo(before + 1);
	}

	@Test
	void shouldReturnFirstResultForRepeatedReservationId() {
		String sku = newProduct(10, 250);
		String id = "order-" + UUID.randomUUID();
		double before = outcome("reserved");

		Reservation first = this.inventory.reserveStock(request(id, sku, 4));
		Reservation repeat = this.inventory.reserveStock(request(id, sku, 4));

		assertThat(first.getStatus()).isEqualTo(Reservation.Status.RESERVED);
		assertThat(first.getTotalCents()).isEqualTo(1_000);
		assertThat(first.getCurrency()).isEqualTo("EUR");
		assertThat(repeat).isEqualTo(first);
		assertThat(available(sku)).isEqualTo(6);
		assertThat(outcome("reserved")).isEqualTo(before + 1);
	}

	@Test
	void shouldReserveOnceUnderConcurrentRepeatsOfOneReservationId() throws Exception {
		String sku = newProduct(100, 100);
		ReserveStockRequest request = request("order-" + UUID.randomUUID(), sku, 3);
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(20);
		List<Future<Reservation>> results = new ArrayList<>();
		try {
			for (int i = 0; i < 20; i++) {
				results.add(pool.submit(() -> {
					start.await();
					return this.inventory.reserveStock(request);
				}));
			}
			start.countDown();
			List<Reservation> responses = new ArrayList<>();
			for (Future<Reservation> result : results) {
				responses.add(result.get(60, TimeUnit.SECONDS));
			}

			assertThat(responses).allMatch((r) -> r.equals(responses.get(0)));
			assertThat(responses.get(0).getStatus()).isEqualTo(Reservation.Status.RESERVED);
			assertThat(available(sku)).isEqualTo(97);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void shouldRejectReusedReservationIdWithDifferentLines() {
		String sku = newProduct(10, 250);
		String id = "order-" + UUID.randomUUID();
		this.inventory.reserveStock(request(id, sku, 1));

		assertThatThrownBy(() -> this.inventory.reserveStock(request(id, sku, 2)))
			.isInstanceOfSatisfying(StatusRuntimeException.class,
					(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS));
		assertThat(available(sku)).isEqualTo(9);
	}

	@Test
	void shouldReserveAllLinesOrNone() {
		String plenty = newProduct(10, 100);
		String scarce = newProduct(1, 100);
		ReserveStockRequest both = ReserveStockRequest.newBuilder()
			.setReservationId("order-" + UUID.randomUUID())
			.addLines(line(plenty, 5))
			.addLines(line(scarce, 2))
			.build();

		assertThatThrownBy(() -> this.inventory.reserveStock(both)).isInstanceOfSatisfying(
				StatusRuntimeException.class,
				(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
		assertThat(available(plenty)).isEqualTo(10);
		assertThat(available(scarce)).isEqualTo(1);
		// The failed attempt recorded nothing, so the same id can be used once the request fits.
		assertThat(this.jdbc.sql("SELECT count(*) FROM reservations WHERE reservation_id = :id")
			.param("id", both.getReservationId())
			.query(Integer.class)
			.single()).isZero();
	}

	@Test
	void shouldReserveSeveralLinesAndMergeDuplicates() {
		String a = newProduct(10, 100);
		String b = newProduct(10, 250);
		Reservation reservation = this.inventory.reserveStock(ReserveStockRequest.newBuilder()
			.setReservationId("order-" + UUID.randomUUID())
			.addLines(line(b, 1))
			.addLines(line(a, 2))
			.addLines(line(b, 2))
			.build());

		assertThat(reservation.getLinesList()).containsExactlyInAnyOrder(line(a, 2), line(b, 3));
		assertThat(reservation.getTotalCents()).isEqualTo(2 * 100 + 3 * 250);
		assertThat(available(a)).isEqualTo(8);
		assertThat(available(b)).isEqualTo(7);
	}

	@Test
	void shouldAnswerNotFoundForUnknownProduct() {
		String known = newProduct(10, 100);
		ReserveStockRequest request = ReserveStockRequest.newBuilder()
			.setReservationId("order-" + UUID.randomUUID())
			.addLines(line(known, 1))
			.addLines(line("sku-nope", 1))
			.build();

		assertThatThrownBy(() -> this.inventory.reserveStock(request))
			.isInstanceOfSatisfying(StatusRuntimeException.class, (ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
				assertThat(ex.getStatus().getDescription()).contains("sku-nope");
			});
		assertThat(available(known)).isEqualTo(10);
	}

	@Test
	void shouldRejectInvalidReservationRequests() {
		String sku = newProduct(10, 100);
		assertInvalid(request("order-" + UUID.randomUUID(), sku, 0));
		assertInvalid(request("order-" + UUID.randomUUID(), sku, -3));
		assertInvalid(ReserveStockRequest.newBuilder().setReservationId("order-" + UUID.randomUUID()).build());
		assertInvalid(request("", sku, 1));
		assertInvalid(request("order-" + UUID.randomUUID(), "", 1));
		assertThat(available(sku)).isEqualTo(10);
	}

	@Test
	void shouldReturnUnitsOnReleaseExactlyOnce() {
		String sku = newProduct(10, 100);
		String id = "order-" + UUID.randomUUID();
		this.inventory.reserveStock(request(id, sku, 7));
		assertThat(available(sku)).isEqualTo(3);
		double before = outcome("released");

		Reservation released = this.inventory.releaseReservation(release(id));
		Reservation again = this.inventory.releaseReservation(release(id));

		assertThat(released.getStatus()).isEqualTo(Reservation.Status.RELEASED);
		assertThat(released.getLinesList()).containsExactly(line(sku, 7));
		assertThat(again).isEqualTo(released);
		assertThat(available(sku)).isEqualTo(10);
		assertThat(outcome("released")).isEqualTo(before + 1);
		// A repeated reserve after the release returns the first result (now released) and takes nothing.
		assertThat(this.inventory.reserveStock(request(id, sku, 7)).getStatus())
			.isEqualTo(Reservation.Status.RELEASED);
		assertThat(available(sku)).isEqualTo(10);
	}

	@Test
	void shouldAnswerNotFoundWhenReleasingUnknownReservation() {
		assertThatThrownBy(() -> this.inventory.releaseReservation(release("order-never-made")))
			.isInstanceOfSatisfying(StatusRuntimeException.class,
					(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
	}

	@Test
	void shouldShowReservedStockInProductReadsDespiteCache() {
		String sku = newProduct(10, 100);
		GetProductRequest get = GetProductRequest.newBuilder().setId(sku).build();
		assertThat(this.inventory.getProduct(get).getAvailable()).isEqualTo(10);
		assertThat(this.inventory.getProduct(get).getAvailable()).isEqualTo(10);

		String id = "order-" + UUID.randomUUID();
		this.inventory.reserveStock(request(id, sku, 4));
		assertThat(this.inventory.getProduct(get).getAvailable()).isEqualTo(6);

		this.inventory.releaseReservation(release(id));
		assertThat(this.inventory.getProduct(get).getAvailable()).isEqualTo(10);
	}

	private void assertInvalid(ReserveStockRequest request) {
		assertThatThrownBy(() -> this.inventory.reserveStock(request))
			.isInstanceOfSatisfying(StatusRuntimeException.class, (ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
				assertThat(ex.getStatus().getDescription()).isNotBlank();
			});
	}

	private String newProduct(int units, long priceCents) {
		String sku = "sku-test-" + UUID.randomUUID();
		this.jdbc.sql("INSERT INTO products (id, name, price_cents) VALUES (:id, 'Test product', :price)")
			.param("id", sku)
			.param("price", priceCents)
			.update();
		this.jdbc.sql("INSERT INTO stock (product_id, on_hand) VALUES (:id, :units)")
			.param("id", sku)
			.param("units", units)
			.update();
		return sku;
	}

	private int available(String sku) {
		return this.jdbc.sql("SELECT on_hand - reserved FROM stock WHERE product_id = :id")
			.param("id", sku)
			.query(Integer.class)
			.single();
	}

	private double outcome(String outcome) {
		return this.meters.counter("vigil.stock.reservations", "outcome", outcome).count();
	}

	private static ReserveStockRequest request(String reservationId, String sku, int quantity) {
		return ReserveStockRequest.newBuilder().setReservationId(reservationId).addLines(line(sku, quantity)).build();
	}

	private static ReservationLine line(String sku, int quantity) {
		return ReservationLine.newBuilder().setProductId(sku).setQuantity(quantity).build();
	}

	private static ReleaseReservationRequest release(String reservationId) {
		return ReleaseReservationRequest.newBuilder().setReservationId(reservationId).build();
	}

}
