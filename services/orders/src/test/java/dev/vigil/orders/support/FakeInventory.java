package dev.vigil.orders.support;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.vigil.proto.inventory.v1.InventoryServiceGrpc;
import dev.vigil.proto.inventory.v1.ReleaseReservationRequest;
import dev.vigil.proto.inventory.v1.Reservation;
import dev.vigil.proto.inventory.v1.ReservationLine;
import dev.vigil.proto.inventory.v1.ReserveStockRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/**
 * An in-memory inventory with the contract's semantics: all-or-nothing reservations, idempotent per reservation id,
 * every product priced at {@link #PRICE_CENTS}.
 */
public class FakeInventory extends InventoryServiceGrpc.InventoryServiceImplBase {

	public static final long PRICE_CENTS = 1250;

	private final Map<String, Integer> stock = new ConcurrentHashMap<>();

	private final Map<String, Reservation> reservations = new ConcurrentHashMap<>();

	private final List<ReserveStockRequest> reserveCalls = new CopyOnWriteArrayList<>();

	private final List<String> releaseCalls = new CopyOnWriteArrayList<>();

	public void stock(String productId, int units) {
		this.stock.put(productId, units);
	}

	public int available(String productId) {
		return this.stock.getOrDefault(productId, 0);
	}

	public List<ReserveStockRequest> reserveCalls() {
		return this.reserveCalls;
	}

	public List<String> releaseCalls() {
		return this.releaseCalls;
	}

	public Reservation reservation(String id) {
		return this.reservations.get(id);
	}

	@Override
	public synchronized void reserveStock(ReserveStockRequest request, StreamObserver<Reservation> responses) {
		this.reserveCalls.add(request);
		Reservation existing = this.reservations.get(request.getReservationId());
		if (existing != null) {
			responses.onNext(existing);
			responses.onCompleted();
			return;
		}
		for (ReservationLine line : request.getLinesList()) {
			if (!this.stock.containsKey(line.getProductId())) {
				responses.onError(Status.NOT_FOUND.withDescription("product " + line.getProductId() + " not found")
					.asRuntimeException());
				return;
			}
			if (this.stock.get(line.getProductId()) < line.getQuantity()) {
				responses.onError(Status.FAILED_PRECONDITION
					.withDescription("out of stock: " + line.getProductId())
					.asRuntimeException());
				return;
			}
		}
		long total = 0;
		for (ReservationLine line : request.getLinesList()) {
			this.stock.merge(line.getProductId(), -line.getQuantity(), Integer::sum);
			total += PRICE_CENTS * line.getQuantity();
		}
		Reservation reservation = Reservation.newBuilder()
			.setReservationId(request.getReservationId())
			.setStatus(Reservation.Status.RESERVED)
			.addAllLines(request.getLinesList())
			.setTotalCents(total)
			.setCurrency("EUR")
			.build();
		this.reservations.put(request.getReservationId(), reservation);
		responses.onNext(reservation);
		responses.onCompleted();
	}

	@Override
	public synchronized void releaseReservation(ReleaseReservationRequest request,
			StreamObserver<Reservation> responses) {
		this.releaseCalls.add(request.getReservationId());
		Reservation reservation = this.reservations.get(request.getReservationId());
		if (reservation == null) {
			responses.onError(Status.NOT_FOUND.withDescription("unknown reservation").asRuntimeException());
			return;
		}
		if (reservation.getStatus() == Reservation.Status.RESERVED) {
			reservation.getLinesList()
				.forEach((line) -> this.stock.merge(line.getProductId(), line.getQuantity(), Integer::sum));
			reservation = reservation.toBuilder().setStatus(Reservation.Status.RELEASED).build();
			this.reservations.put(request.getReservationId(), reservation);
		}
		responses.onNext(reservation);
		responses.onCompleted();
	}

}
