package dev.vigil.inventory.stock;

/**
 * Maps to gRPC {@code NOT_FOUND}.
 */
public class ReservationNotFoundException extends RuntimeException {

	ReservationNotFoundException(String reservationId) {
		super("reservation " + reservationId + " not found");
	}

}
