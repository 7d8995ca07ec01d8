package dev.vigil.platform.grpc;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.grpc.server.exception.GrpcExceptionHandler;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Turns exceptions thrown by a gRPC service into statuses (docs/architecture.md, "Errors"), in the same order for
 * every service: statuses pass through, the service's own expected failures get a description written for the
 * caller ({@link #expectedFailure}), a database outage is UNAVAILABLE (retryable — nothing was committed), and
 * anything else is logged here and reported as INTERNAL without internals.
 */
public abstract class ServiceGrpcErrors implements GrpcExceptionHandler {

	private final Log logger = LogFactory.getLog(getClass());

	@Override
	public final StatusException handleException(Throwable ex) {
		return status(ex).asException();
	}

	private Status status(Throwable ex) {
		if (ex instanceof StatusRuntimeException sre) {
			return sre.getStatus();
		}
		if (ex instanceof StatusException se) {
			return se.getStatus();
		}
		Status expected = expectedFailure(ex);
		if (expected != null) {
			return expected.withDescription(ex.getMessage());
		}
		if (ex instanceof CannotGetJdbcConnectionException || ex instanceof CannotCreateTransactionException
				|| ex instanceof DataAccessResourceFailureException || ex instanceof TransientDataAccessException) {
			this.logger.warn("Database unavailable: " + ex.getMessage());
			return Status.UNAVAILABLE.withDescription(databaseUnavailableDescription());
		}
		this.logger.error("Unexpected failure handling a gRPC call", ex);
		return Status.INTERNAL.withDescription("internal error");
	}

	/**
	 * The status for one of this service's expected failures (its message becomes the description), or
	 * {@code null} if the exception is not one of them.
	 */
	protected abstract Status expectedFailure(Throwable ex);

	/** What a caller is told when the service's database is unavailable, e.g. how to retry. */
	protected abstract String databaseUnavailableDescription();

}
