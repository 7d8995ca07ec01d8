package dev.vigil.inventory.stock;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.vigil.inventory.InvalidRequestException;
import dev.vigil.inventory.cache.ProductCache;
import dev.vigil.inventory.catalog.ProductNotFoundException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reserves and releases stock. Each call is one transaction; cache invalidation and metrics happen after the
 * commit, so nobody observes (or counts) a reservation that was rolled back.
 */
@Service
public class StockReservations {

	private final ReservationRepository reservations;

	private final TransactionTemplate transactions;

	private final ProductCache cache;

	private final Counter reserved;

	private final Counter insufficient;

	private final Counter released;

	StockReservations(ReservationRepository reservations, TransactionTemplate transactions, ProductCache cache,
			MeterRegistry meters) {
		this.reservations = reservations;
		this.transactions = transactions;
		this.cache = cache;
		this.reserved = outcome(meters, "reserved");
		this.insufficient = outcome(meters, "insufficient");
		this.released = outcome(meters, "released");
	}

	private static Counter outcome(MeterRegistry meters, String outcome) {
		return Counter.builder("vigil.stock.reservations")
			.description("Stock reservation attempts by outcome")
			.tag("outcome", outcome)
			.register(meters);
	}

	/**
	 * Reserves every line or none. A repeat with the same id and lines returns the recorded reservation (in its
	 * current state) without touching stock. A failed attempt records nothing, so a retry may succeed later.
	 */
	public Reservation reserve(String reservationId, List<LineRequest> requestedLines) {
		requireId(reservationId);
		TreeMap<String, Integer> lines = validate(requestedLines);
		Attempt attempt;
		try {
			attempt = this.transactions.execute((tx) -> reserveInTransaction(reservationId, lines));
		}
		catch (InsufficientStockException ex) {
			this.insufficient.increment();
			throw ex;
		}
		if (attempt.fresh()) {
			this.reserved.increment();
			this.cache.evict(lines.keySet());
		}
		return attempt.reservation();
	}

	/** Returns the units of a reservation to stock. Idempotent: releasing twice returns the released reservation. */
	public Reservation release(String reservationId) {
		requireId(reservationId);
		Attempt attempt = this.transactions.execute((tx) -> {
			boolean fresh = this.reservations.markReleased(reservationId);
			Reservation reservation = this.reservations.find(reservationId)
				.orElseThrow(() -> new ReservationNotFoundException(reservationId));
			if (fresh) {
				// Lines come back ordered by product id: the same lock order as reserve, so no deadlocks.
				reservation.lines().forEach((line) -> this.reservations.returnUnits(line.productId(), line.quantity()));
			}
			return new Attempt(reservation, fresh);
		});
		if (attempt.fresh()) {
			this.released.increment();
			this.cache.evict(attempt.reservation().lines().stream().map(Reservation.Line::productId).toList());
		}
		return attempt.reservation();
	}

	private Attempt reserveInTransaction(String reservationId, TreeMap<String, Integer> lines) {
		if (!this.reservations.claim(reservationId)) {
			Reservation existing = this.reservations.find(reservationId).orElseThrow();
			if (!sameLines(existing, lines)) {
				throw new ReservationConflictException(reservationId);
			}
			return new Attempt(existing, false);
		}
		List<Reservation.Line> recorded = new ArrayList<>();
		long total = 0;
		String currency = null;
		// Product-id order (TreeMap) so that two multi-line reservations lock stock rows in the same order.
		for (Map.Entry<String, Integer> line : lines.entrySet()) {
			String productId = line.getKey();
			int quantity = line.getValue();
			boolean taken = this.reservations.reserveUnits(productId, quantity);
			ReservationRepository.PricedStock priced = this.reservations.findPricedStock(productId)
				.orElseThrow(() -> new ProductNotFoundException(productId));
			if (!taken) {
				throw new InsufficientStockException(productId, quantity, priced.available());
			}
			if (currency != null && !currency.equals(priced.currency())) {
				throw new InvalidRequestException("lines mix currencies " + currency + " and " + priced.currency()
						+ "; reserve them separately");
			}
			currency = priced.currency();
			total = Math.addExact(total, Math.multiplyExact(priced.priceCents(), quantity));
			Reservation.Line recordedLine = new Reservation.Line(productId, quantity, priced.priceCents());
			this.reservations.addLine(reservationId, recordedLine);
			recorded.add(recordedLine);
		}
		this.reservations.setTotal(reservationId, total, currency);
		return new Attempt(new Reservation(reservationId, Reservation.Status.RESERVED, List.copyOf(recorded), total,
				currency), true);
	}

	private static boolean sameLines(Reservation existing, TreeMap<String, Integer> lines) {
		if (existing.lines().size() != lines.size()) {
			return false;
		}
		return existing.lines().stream().allMatch((l) -> Integer.valueOf(l.quantity()).equals(lines.get(l.productId())));
	}

	private static void requireId(String reservationId) {
		if (reservationId == null || reservationId.isBlank()) {
			throw new InvalidRequestException("reservation_id must not be empty");
		}
	}

	/** Merges duplicate product ids (sum of quantities) and orders by product id. */
	private static TreeMap<String, Integer> validate(List<LineRequest> requested) {
		if (requested.isEmpty()) {
			throw new InvalidRequestException("lines must not be empty");
		}
		TreeMap<String, Integer> lines = new TreeMap<>();
		for (int i = 0; i < requested.size(); i++) {
			LineRequest line = requested.get(i);
			if (line.productId() == null || line.productId().isBlank()) {
				throw new InvalidRequestException("lines[" + i + "].product_id must not be empty");
			}
			if (line.quantity() <= 0) {
				throw new InvalidRequestException(
						"lines[" + i + "].quantity must be positive, was " + line.quantity() + " for " + line.productId());
			}
			try {
				lines.merge(line.productId(), line.quantity(), Math::addExact);
			}
			catch (ArithmeticException ex) {
				throw new InvalidRequestException("total quantity for " + line.productId() + " is too large");
			}
		}
		return lines;
	}

	/** One requested line, as the caller sent it. */
	public record LineRequest(String productId, int quantity) {

	}

	private record Attempt(Reservation reservation, boolean fresh) {

	}

}
