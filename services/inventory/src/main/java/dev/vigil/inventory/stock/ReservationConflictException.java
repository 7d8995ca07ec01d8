package dev.vigil.inventory.stock;

/**
 * A reservation id was reused for different lines. Answering with the first reservation would silently hand the
 * caller a result for a request it did not make, so this maps to gRPC {@code ALREADY_EXISTS}.
 */
public class ReservationConflictException extends RuntimeException {

	ReservationConflictException(String reservationId) {
		super("reservation " + reservationId + " already exists with different lines; use a new reservation_id");
	}

}
