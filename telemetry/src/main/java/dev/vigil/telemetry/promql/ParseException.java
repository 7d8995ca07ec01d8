package dev.vigil.telemetry.promql;

/**
 * A syntax or type error in a query; the message carries the position like Prometheus: {@code 1:38: parse error:
 * unexpected ","}.
 */
public final class ParseException extends PromQLException {

	private final int offset;

	ParseException(String query, int offset, String message) {
		super(Kind.BAD_DATA, position(query, offset) + ": parse error: " + message);
		this.offset = offset;
	}

	/** Character offset of the error in the query. */
	public int offset() {
		return offset;
	}

	static String position(String query, int offset) {
		return TextPosition.of(query, offset).toString();
	}

}
