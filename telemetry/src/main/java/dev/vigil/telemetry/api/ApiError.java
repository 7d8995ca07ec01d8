package dev.vigil.telemetry.api;

import dev.vigil.telemetry.promql.PromQLException;

/** An API failure with Prometheus's errorType and HTTP status. */
final class ApiError extends RuntimeException {

	final String type;
	final int status;

	ApiError(String type, int status, String message) {
		super(message);
		this.type = type;
		this.status = status;
	}

	static ApiError badData(String message) {
		return new ApiError("bad_data", 400, message);
	}

	static ApiError invalidParam(String param, String message) {
		return badData("invalid parameter \"" + param + "\": " + message);
	}

	/** Maps engine errors as Prometheus's API does (web/api/v1 returnAPIError). */
	static ApiError of(PromQLException e) {
		return switch (e.kind()) {
			case BAD_DATA -> badData(e.getMessage());
			case TIMEOUT -> new ApiError("timeout", 503, e.getMessage());
			case CANCELED -> new ApiError("canceled", 499, e.getMessage());
			case INTERNAL -> new ApiError("internal", 500, e.getMessage());
			case EXECUTION -> new ApiError("execution", 422, e.getMessage());
		};
	}

}
