package dev.vigil.telemetry.promql;

/**
 * A query failure, classified like Prometheus's API error types so HTTP handlers can map it to a status code.
 */
public class PromQLException extends RuntimeException {

	/** Error classes, named after the Prometheus API {@code errorType} values. */
	public enum Kind {

		/** Malformed query or parameters (HTTP 400). */
		BAD_DATA("bad_data"),
		/** Evaluation failed, e.g. too many samples or duplicate series (HTTP 422). */
		EXECUTION("execution"),
		/** The query ran out of time (HTTP 503). */
		TIMEOUT("timeout"),
		/** The query was cancelled (HTTP 499). */
		CANCELED("canceled"),
		/** A bug (HTTP 500). */
		INTERNAL("internal");

		private final String apiName;

		Kind(String apiName) {
			this.apiName = apiName;
		}

		/** The {@code errorType} string in API responses. */
		public String apiName() {
			return apiName;
		}

	}

	private final Kind kind;

	public PromQLException(Kind kind, String message) {
		super(message);
		this.kind = kind;
	}

	public Kind kind() {
		return kind;
	}

	static PromQLException execution(String message) {
		return new PromQLException(Kind.EXECUTION, message);
	}

}
