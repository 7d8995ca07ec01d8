package dev.vigil.telemetry.traces;

/** A TraceQL query we cannot run, with the 1-based column of the problem (as Tempo reports "1:13: ..."). */
public class TraceQLException extends RuntimeException {

	public TraceQLException(int column, String message) {
		super("1:" + column + ": " + message);
	}

}
