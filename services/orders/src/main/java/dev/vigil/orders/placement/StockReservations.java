package dev.vigil.orders.placement;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.vigil.proto.inventory.v1.InventoryServiceGrpc.InventoryServiceBlockingStub;
import dev.vigil.proto.inventory.v1.ReleaseReservationRequest;
import dev.vigil.proto.inventory.v1.Reservation;
import dev.vigil.proto.inventory.v1.ReservationLine;
import dev.vigil.proto.inventory.v1.ReserveStockRequest;
import dev.vigil.proto.orders.v1.OrderLine;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The inventory side of a placement. The order id doubles as the reservation id, which makes a replayed placement
 * (takeover of an abandoned claim) reuse the same reservation.
 */
@Component
class StockReservations {

	private static final Logger log = LoggerFactory.getLogger(StockReservations.class);

	private final InventoryServiceBlockingStub inventory;

	private final Duration deadline;

	StockReservations(InventoryServiceBlockingStub inventory,
			@Value("${vigil.orders.downstream-deadline:2s}") Duration deadline) {
		this.inventory = inventory;
		this.deadline = deadline;
	}

	Reservation reserve(UUID orderId, List<OrderLine> lines) {
		ReserveStockRequest.Builder request = ReserveStockRequest.newBuilder().setReservationId(orderId.toString());
		lines.forEach((line) -> request
			.addLines(ReservationLine.newBuilder().setProductId(line.getProductId()).setQuantity(line.getQuantity())));
		try {
			return withDeadline().reserveStock(request.build());
		}
		catch (StatusRuntimeException ex) {
			throw switch (ex.getStatus().getCode()) {
				// The inventory's own verdict on the request: pass it through unchanged.
				case FAILED_PRECONDITION -> new PlacementFailure(Status.Code.FAILED_PRECONDITION, describe(ex),
						"out_of_stock");
				case NOT_FOUND -> new PlacementFailure(Status.Code.NOT_FOUND, describe(ex), "unknown_product");
				case INVALID_ARGUMENT -> new PlacementFailure(Status.Code.INVALID_ARGUMENT, describe(ex),
						"invalid_argument");
				default -> new PlacementFailure(Status.Code.UNAVAILABLE,
						"inventory unavailable: " + ex.getStatus().getCode(), "inventory_unavailable");
			};
		}
	}

	/**
	 * Best effort: a failed release leaves units reserved until inventory expires them, which is better than
	 * failing the caller's request a second time.
	 */
	void release(UUID orderId) {
		try {
			withDeadline().releaseReservation(
					ReleaseReservationRequest.newBuilder().setReservationId(orderId.toString()).build());
		}
		catch (StatusRuntimeException ex) {
			log.warn("Could not release reservation {}: {}", orderId, ex.getStatus());
		}
	}

	private InventoryServiceBlockingStub withDeadline() {
		return this.inventory.withDeadlineAfter(this.deadline.toMillis(), TimeUnit.MILLISECONDS);
	}

	private static String describe(StatusRuntimeException ex) {
		String description = ex.getStatus().getDescription();
		return (description != null) ? description : ex.getStatus().getCode().name().toLowerCase();
	}

}
