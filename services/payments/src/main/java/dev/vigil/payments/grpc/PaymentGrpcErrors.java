package dev.vigil.payments.grpc;

import dev.vigil.payments.charge.IdempotencyKeyReusedException;
import dev.vigil.payments.charge.InvalidChargeException;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.grpc.server.exception.GrpcExceptionHandler;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Turns exceptions into gRPC statuses (docs/architecture.md, "Errors"). Expected failures get a description
 * written for the caller; unexpected ones are logged here and reported without internals.
 */
@Component
class PaymentGrpcErrors implements GrpcExceptionHandler {

	private static final Log logger = LogFactory.getLog(PaymentGrpcErrors.class);

	@Override
	public StatusException handleException(Throwable ex) {
		return status(ex).asException();
	}

	private static Status status(Throwable ex) {
		if (ex instanceof StatusRuntimeException sre) {
			return sre.getStatus();
		}
		if (ex instanceof StatusException se) {
			return se.getStatus();
		}
		if (ex instanceof InvalidChargeException) {
			return Status.INVALID_ARGUMENT.withDescription(ex.getMessage());
		}
		if (ex instanceof IdempotencyKeyReusedException) {
			return Status.ALREADY_EXISTS.withDescription(ex.getMessage());
		}
		if (ex instanceof CannotGetJdbcConnectionException || ex instanceof CannotCreateTransactionException
				|| ex instanceof DataAccessResourceFailureException || ex instanceof TransientDataAccessException) {
			// Nothing was committed, so the caller may retry with the same idempotency key.
			logger.warn("Database unavailable: " + ex.getMessage());
			return Status.UNAVAILABLE.withDescription("payments database unavailable, retry with the same idempotency_key");
		}
		logger.error("Unexpected failure handling a gRPC call", ex);
		return Status.INTERNAL.withDescription("internal error");
	}

}
