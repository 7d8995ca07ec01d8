package dev.vigil.orders.placement;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.vigil.proto.inventory.v1.Reservation;
import dev.vigil.proto.payments.v1.ChargeRequest;
import dev.vigil.proto.payments.v1.Payment;
import dev.vigil.proto.payments.v1.PaymentServiceGrpc.PaymentServiceBlockingStub;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The payment side of a placement. The order id is the charge's idempotency key, so a replayed placement can never
 * charge twice.
 */
@Component
class Payments {

	private final PaymentServiceBlockingStub payments;

	private final Duration deadline;

	Payments(PaymentServiceBlockingStub payments, @Value("${vigil.orders.downstream-deadline:2s}") Duration deadline) {
		this.payments = payments;
		this.deadline = deadline;
	}

	/**
	 * Returns the payment (approved or declined). Throws {@link PlacementFailure} when the charge itself failed.
	 */
	Payment charge(UUID orderId, String customerId, Reservation reservation) {
		ChargeRequest request = ChargeRequest.newBuilder()
			.setIdempotencyKey(orderId.toString())
			.setCustomerId(customerId)
			.setAmountCents(reservation.getTotalCents())
			.setCurrency(reservation.getCurrency())
			.build();
		try {
			return this.payments.withDeadlineAfter(this.deadline.toMillis(), TimeUnit.MILLISECONDS).charge(request);
		}
		catch (StatusRuntimeException ex) {
			String description = ex.getStatus().getDescription();
			String detail = ex.getStatus().getCode() + ((description != null) ? " (" + description + ")" : "");
			throw switch (ex.getStatus().getCode()) {
				// Retryable with the same idempotency key: the charge key changes with the new order id, but the
				// reservation has been released, so nothing is held on the caller's behalf.
				case UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, CANCELLED ->
					new PlacementFailure(Status.Code.UNAVAILABLE, "payments unavailable: " + detail,
							"payments_unavailable");
				default -> new PlacementFailure(Status.Code.INTERNAL, "payment failed: " + detail, "payment_error");
			};
		}
	}

}
