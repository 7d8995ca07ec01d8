package dev.vigil.platform.grpc;

import java.util.Locale;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * Maps gRPC statuses from downstream services to HTTP problem details (docs/architecture.md, "Errors").
 * Descriptions of client-facing codes (bad input, not found, conflicts) are passed on because the downstream
 * services write them for callers; for infrastructure failures a generic detail is used so internals do not leak.
 */
public final class GrpcStatusProblems {

	private GrpcStatusProblems() {
	}

	public static HttpStatus httpStatus(Status status) {
		return switch (status.getCode()) {
			case INVALID_ARGUMENT, OUT_OF_RANGE -> HttpStatus.BAD_REQUEST;
			case NOT_FOUND -> HttpStatus.NOT_FOUND;
			case ALREADY_EXISTS, ABORTED -> HttpStatus.CONFLICT;
			case FAILED_PRECONDITION -> isPaymentDeclined(status) ? HttpStatus.UNPROCESSABLE_CONTENT : HttpStatus.CONFLICT;
			case UNAVAILABLE, DEADLINE_EXCEEDED -> HttpStatus.SERVICE_UNAVAILABLE;
			case RESOURCE_EXHAUSTED -> HttpStatus.TOO_MANY_REQUESTS;
			case UNAUTHENTICATED -> HttpStatus.UNAUTHORIZED;
			case PERMISSION_DENIED -> HttpStatus.FORBIDDEN;
			default -> HttpStatus.BAD_GATEWAY;
		};
	}

	public static ProblemDetail toProblem(StatusRuntimeException ex) {
		return toProblem(ex.getStatus());
	}

	public static ProblemDetail toProblem(Status status) {
		HttpStatus http = httpStatus(status);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(http, detail(status, http));
		problem.setProperty("grpcStatus", status.getCode().name());
		return problem;
	}

	/** Whether the status is a retryable infrastructure failure rather than an answer about the request. */
	public static boolean isTransient(Status status) {
		return switch (status.getCode()) {
			case UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, INTERNAL, UNKNOWN, ABORTED, CANCELLED -> true;
			default -> false;
		};
	}

	private static boolean isPaymentDeclined(Status status) {
		String description = status.getDescription();
		if (description == null) {
			return false;
		}
		String lower = description.toLowerCase(Locale.ROOT);
		return lower.contains("declined") || lower.contains("payment");
	}

	private static String detail(Status status, HttpStatus http) {
		String description = status.getDescription();
		boolean clientFacing = http.is4xxClientError() && http != HttpStatus.TOO_MANY_REQUESTS;
		if (clientFacing && description != null && !description.isBlank()) {
			return (description.length() > 500) ? description.substring(0, 500) : description;
		}
		return switch (http) {
			case SERVICE_UNAVAILABLE -> "A downstream service is temporarily unavailable; retry later";
			case TOO_MANY_REQUESTS -> "A downstream service is overloaded; retry later";
			case NOT_FOUND -> "Not found";
			case CONFLICT -> "The request conflicts with the current state";
			case BAD_REQUEST -> "Invalid request";
			default -> "A downstream service failed";
		};
	}

}
