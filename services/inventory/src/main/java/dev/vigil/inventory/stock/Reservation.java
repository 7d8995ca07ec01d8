package dev.vigil.inventory.stock;

import java.util.List;

/**
 * A reservation as recorded; lines are ordered by product id and carry the unit price at reservation time.
 */
public record Reservation(String reservationId, Status status, List<Line> lines, long totalCents, String currency) {

	public enum Status {

		RESERVED, RELEASED

	}

	public record Line(String productId, int quantity, long unitPriceCents) {

	}

}
