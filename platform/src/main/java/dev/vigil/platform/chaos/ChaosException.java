package dev.vigil.platform.chaos;

/** A fault request we refuse; the message says which field is wrong and what is allowed. */
public class ChaosException extends RuntimeException {

	public ChaosException(String message) {
		super(message);
	}

}
