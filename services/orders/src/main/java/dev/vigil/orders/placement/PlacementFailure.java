package dev.vigil.orders.placement;

import io.grpc.Status;

/**
 * Why a placement did not produce an order: the gRPC status the caller sees plus a low-cardinality reason for the
 * {@code vigil_orders_failed_total{reason}} counter.
 */
class PlacementFailure extends RuntimeException {

	private final Status.Code code;

	private final String reason;

	PlacementFailure(Status.Code code, String description, String reason) {
		super(description, null, false, false);
		this.code = code;
		this.reason = reason;
	}

	Status.Code code() {
		return this.code;
	}

	String reason() {
		return this.reason;
	}

	/**
	 * Deterministic outcomes (out of stock, unknown product, declined) are remembered for the idempotency key and
	 * replayed; transient ones are forgotten so that a retry with the same key gets a fresh attempt, as the
	 * contract promises for UNAVAILABLE.
	 */
	boolean isReplayable() {
		return this.code == Status.Code.FAILED_PRECONDITION || this.code == Status.Code.NOT_FOUND
				|| this.code == Status.Code.INVALID_ARGUMENT;
	}

	io.grpc.StatusRuntimeException toStatusException() {
		return Status.fromCode(this.code).withDescription(getMessage()).asRuntimeException();
	}

}
