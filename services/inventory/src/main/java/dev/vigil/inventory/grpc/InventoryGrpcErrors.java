package dev.vigil.inventory.grpc;

import dev.vigil.inventory.InvalidRequestException;
import dev.vigil.inventory.catalog.ProductNotFoundException;
import dev.vigil.inventory.stock.InsufficientStockException;
import dev.vigil.inventory.stock.ReservationConflictException;
import dev.vigil.inventory.stock.ReservationNotFoundException;
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
 * Turns domain exceptions into gRPC statuses (docs/architecture.md, "Errors"). Descriptions of expected failures
 * are written for the caller; unexpected ones are logged here and reported without internals.
 */
@Component
class InventoryGrpcErrors implements GrpcExceptionHandler {

	private static final Log logger = LogFactory.getLog(InventoryGrpcErrors.class);

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
		if (ex instanceof InvalidRequestException) {
			return Status.INVALID_ARGUMENT.withDescription(ex.getMessage());
		}
		if (ex instanceof ProductNotFoundException || ex instanceof ReservationNotFoundException) {
			return Status.NOT_FOUND.withDescription(ex.getMessage());
		}
		if (ex instanceof InsufficientStockException) {
			return Status.FAILED_PRECONDITION.withDescription(ex.getMessage());
		}
		if (ex instanceof ReservationConflictException) {
			return Status.ALREADY_EXISTS.withDescription(ex.getMessage());
		}
		if (ex instanceof CannotGetJdbcConnectionException || ex instanceof CannotCreateTransactionException
				|| ex instanceof DataAccessResourceFailureException || ex instanceof TransientDataAccessException) {
			logger.warn("Database unavailable: " + ex.getMessage());
			return Status.UNAVAILABLE.withDescription("inventory database unavailable, retry later");
		}
		logger.error("Unexpected failure handling a gRPC call", ex);
		return Status.INTERNAL.withDescription("internal error");
	}

}
