package dev.vigil.inventory.stock;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class ReservationRepository {

	private final JdbcClient jdbc;

	ReservationRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Claims the reservation id. A concurrent transaction inserting the same id blocks on the primary key until
	 * this one commits or rolls back, which is what serialises duplicate requests.
	 * @return false if the id already exists
	 */
	boolean claim(String reservationId) {
		return this.jdbc.sql("""
				INSERT INTO reservations (reservation_id, status) VALUES (:id, 'RESERVED')
				ON CONFLICT (reservation_id) DO NOTHING
				""").param("id", reservationId).update() == 1;
	}

	/**
	 * Takes units only if they are there. The condition and the increment happen under the row lock of a single
	 * statement, so concurrent reservations cannot both see the same free units.
	 */
	boolean reserveUnits(String productId, int quantity) {
		return this.jdbc.sql("""
				UPDATE stock SET reserved = reserved + :q, version = version + 1
				WHERE product_id = :id AND on_hand - reserved >= :q
				""").param("q", quantity).param("id", productId).update() == 1;
	}

	void returnUnits(String productId, int quantity) {
		this.jdbc.sql("UPDATE stock SET reserved = reserved - :q, version = version + 1 WHERE product_id = :id")
			.param("q", quantity)
			.param("id", productId)
			.update();
	}

	/** Empty if the product is unknown; otherwise its price and currently available units. */
	Optional<PricedStock> findPricedStock(String productId) {
		return this.jdbc.sql("""
				SELECT p.price_cents, p.currency, COALESCE(s.on_hand - s.reserved, 0) AS available
				FROM products p LEFT JOIN stock s ON s.product_id = p.id WHERE p.id = :id
				""").param("id", productId).query(PricedStock.class).optional();
	}

	void addLine(String reservationId, Reservation.Line line) {
		this.jdbc.sql("""
				INSERT INTO reservation_lines (reservation_id, product_id, quantity, unit_price_cents)
				VALUES (:rid, :pid, :q, :price)
				""")
			.param("rid", reservationId)
			.param("pid", line.productId())
			.param("q", line.quantity())
			.param("price", line.unitPriceCents())
			.update();
	}

	void setTotal(String reservationId, long totalCents, String currency) {
		this.jdbc.sql("UPDATE reservations SET total_cents = :total, currency = :currency WHERE reservation_id = :id")
			.param("total", totalCents)
			.param("currency", currency)
			.param("id", reservationId)
			.update();
	}

	/** @return false if the reservation was not in RESERVED state (already released, or unknown) */
	boolean markReleased(String reservationId) {
		return this.jdbc.sql("""
				UPDATE reservations SET status = 'RELEASED', released_at = now()
				WHERE reservation_id = :id AND status = 'RESERVED'
				""").param("id", reservationId).update() == 1;
	}

	Optional<Reservation> find(String reservationId) {
		return this.jdbc
			.sql("SELECT reservation_id, status, total_cents, currency FROM reservations WHERE reservation_id = :id")
			.param("id", reservationId)
			.query(Header.class)
			.optional()
			.map((h) -> new Reservation(h.reservationId(), Reservation.Status.valueOf(h.status()),
					lines(reservationId), h.totalCents(), h.currency()));
	}

	private List<Reservation.Line> lines(String reservationId) {
		return this.jdbc.sql("""
				SELECT product_id, quantity, unit_price_cents FROM reservation_lines
				WHERE reservation_id = :id ORDER BY product_id
				""").param("id", reservationId).query(Reservation.Line.class).list();
	}

	private record Header(String reservationId, String status, long totalCents, String currency) {

	}

	record PricedStock(long priceCents, String currency, int available) {

	}

}
