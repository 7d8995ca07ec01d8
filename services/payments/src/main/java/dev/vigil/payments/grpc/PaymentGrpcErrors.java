package dev.vigil.payments.grpc;

import dev.vigil.payments.charge.IdempotencyKeyReusedException;
import dev.vigil.payments.charge.InvalidChargeException;
import dev.vigil.platform.grpc.ServiceGrpcErrors;
import io.grpc.Status;

import org.springframework.stereotype.Component;

/** Payments' expected failures as gRPC statuses; the rest is common to every service ({@link ServiceGrpcErrors}). */
@Component
class PaymentGrpcErrors extends ServiceGrpcErrors {

	@Override
	protected Status expectedFailure(Throwable ex) {
		if (ex instanceof InvalidChargeException) {
			return Status.INVALID_ARGUMENT;
		}
		if (ex instanceof IdempotencyKeyReusedException) {
			return Status.ALREADY_EXISTS;
		}
		return null;
	}

	@Override
	protected String databaseUnavailableDescription() {
		// Nothing was committed, so the caller may retry with the same idempotency key.
		return "payments database unavailable, retry with the same idempotency_key";
	}

}
