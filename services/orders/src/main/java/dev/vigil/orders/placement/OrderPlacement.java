package dev.vigil.orders.placement;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

import dev.vigil.orders.placement.IdempotencyKeys.Claim;
import dev.vigil.orders.query.OrderQueries;
import dev.vigil.proto.inventory.v1.Reservation;
import dev.vigil.proto.orders.v1.Order;
import dev.vigil.proto.orders.v1.PlaceOrderRequest;
import dev.vigil.proto.payments.v1.Payment;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/**
 * Places an order: claim the idempotency key, reserve stock, charge, persist order + outbox event.
 * <p>
 * Exactly one request per (customer, idempotency key) executes; concurrent duplicates wait for its outcome and
 * return it, so they never reserve or charge. The claim is a row, not a lock held on a connection, so a slow payment
 * provider cannot exhaust the connection pool.
 */
@Service
public class OrderPlacement {

	private static final Logger log = LoggerFactory.getLogger(OrderPlacement.class);

	private static final long MAX_POLL_MILLIS = 200;

	private final IdempotencyKeys idempotencyKeys;

	private final StockReservations stock;

	private final Payments payments;

	private final OrderRecords records;

	private final OrderQueries queries;

	private final OrderMetrics metrics;

	private final Duration duplicateWait;

	private final Duration claimLease;

	OrderPlacement(IdempotencyKeys idempotencyKeys, StockReservations stock, Payments payments, OrderRecords records,
			OrderQueries queries, OrderMetrics metrics,
			@Value("${vigil.orders.duplicate-wait:10s}") Duration duplicateWait,
			@Value("${vigil.orders.claim-lease:15s}") Duration claimLease) {
		this.idempotencyKeys = idempotencyKeys;
		this.stock = stock;
		this.payments = payments;
		this.records = records;
		this.queries = queries;
		this.metrics = metrics;
		this.duplicateWait = duplicateWait;
		this.claimLease = claimLease;
	}

	/**
	 * @throws StatusRuntimeException with the status the caller should see
	 */
	public Order place(PlaceOrderRequest request) {
		try {
			try {
				PlacementRequestValidator.validate(request);
			}
			catch (PlacementFailure failure) {
				this.metrics.failed(failure.reason());
				throw failure;
			}
			String requestHash = fingerprint(request);
			UUID orderId = UUID.randomUUID();
			if (this.idempotencyKeys.claim(request.getCustomerId(), request.getIdempotencyKey(), requestHash,
					orderId)) {
				return execute(orderId, request);
			}
			return awaitFirstAttempt(request, requestHash);
		}
		catch (PlacementFailure failure) {
			throw failure.toStatusException();
		}
	}

	private Order execute(UUID orderId, PlaceOrderRequest request) {
		Reservation reservation;
		try {
			reservation = this.stock.reserve(orderId, request.getLinesList());
		}
		catch (PlacementFailure failure) {
			throw settle(request, orderId, failure);
		}
		Payment payment;
		try {
			payment = this.payments.charge(orderId, request.getCustomerId(), reservation);
		}
		catch (PlacementFailure failure) {
			this.stock.release(orderId);
			throw settle(request, orderId, failure);
		}
		if (payment.getStatus() != Payment.Status.APPROVED) {
			this.stock.release(orderId);
			String reason = payment.getDeclineReason().isBlank() ? "declined" : payment.getDeclineReason();
			throw settle(request, orderId, new PlacementFailure(Status.Code.FAILED_PRECONDITION,
					"payment declined: " + reason, "payment_declined"));
		}
		Order order;
		try {
			order = this.records.insert(orderId, request, reservation, payment);
		}
		catch (DuplicateKeyException ex) {
			// Only possible after a takeover raced a slow original owner: both persisted the same order id.
			return this.queries.find(request.getCustomerId(), orderId).orElseThrow(() -> ex);
		}
		catch (RuntimeException ex) {
			// Charged but not saved. The claim stays PENDING with this order id, so a retry after the lease
			// replays the same (idempotent) reservation and charge instead of charging again.
			log.error("Order {} was charged but could not be saved", orderId, ex);
			this.metrics.failed("persistence");
			throw new PlacementFailure(Status.Code.UNAVAILABLE,
					"order could not be saved; retry with the same idempotency key", "persistence");
		}
		this.metrics.placed(order.getTotalCents());
		log.info("Order {} placed: {} line(s), {} {}", orderId, order.getLinesCount(), order.getTotalCents(),
				order.getCurrency());
		return order;
	}

	private PlacementFailure settle(PlaceOrderRequest request, UUID orderId, PlacementFailure failure) {
		this.metrics.failed(failure.reason());
		log.info("Order {} not placed: {} {}", orderId, failure.code(), failure.getMessage());
		if (failure.isReplayable()) {
			this.idempotencyKeys.fail(request.getCustomerId(), request.getIdempotencyKey(), orderId, failure);
		}
		else {
			this.idempotencyKeys.release(request.getCustomerId(), request.getIdempotencyKey(), orderId);
		}
		return failure;
	}

	/**
	 * A duplicate of a request that is being (or has been) executed: return its outcome. Polls the claim row with a
	 * growing pause; the wait is bounded and ends in UNAVAILABLE, which the caller may retry with the same key.
	 */
	private Order awaitFirstAttempt(PlaceOrderRequest request, String requestHash) {
		long deadline = System.nanoTime() + this.duplicateWait.toNanos();
		long pause = 5;
		while (true) {
			Optional<Claim> found = this.idempotencyKeys.find(request.getCustomerId(), request.getIdempotencyKey());
			if (found.isEmpty()) {
				throw new PlacementFailure(Status.Code.UNAVAILABLE,
						"an earlier attempt with this idempotency key failed; retry", "duplicate");
			}
			Claim claim = found.get();
			if (!claim.requestHash().equals(requestHash)) {
				throw new PlacementFailure(Status.Code.INVALID_ARGUMENT,
						"idempotency_key was already used for a different request", "invalid_argument");
			}
			if (claim.isCompleted()) {
				return this.queries.find(request.getCustomerId(), claim.orderId())
					.orElseThrow(() -> new IllegalStateException("Completed claim without order " + claim.orderId()));
			}
			if (!claim.isPending()) {
				throw new PlacementFailure(Status.Code.valueOf(claim.errorCode()), claim.errorMessage(), "duplicate");
			}
			if (this.idempotencyKeys.takeOver(claim, this.claimLease)) {
				log.warn("Taking over abandoned placement {} for a repeated idempotency key", claim.orderId());
				return execute(claim.orderId(), request);
			}
			if (System.nanoTime() > deadline) {
				throw new PlacementFailure(Status.Code.UNAVAILABLE,
						"a request with this idempotency key is still in progress; retry", "duplicate");
			}
			pause(pause);
			pause = Math.min(pause * 2, MAX_POLL_MILLIS);
		}
	}

	private static void pause(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new PlacementFailure(Status.Code.UNAVAILABLE, "interrupted while waiting for a duplicate request",
					"duplicate");
		}
	}

	/** Same key, different order: a client bug that must not silently return someone else's order. */
	private static String fingerprint(PlaceOrderRequest request) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			request.getLinesList()
				.forEach((line) -> digest
					.update((line.getProductId() + "\u0000" + line.getQuantity() + "\n").getBytes(StandardCharsets.UTF_8)));
			return HexFormat.of().formatHex(digest.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
