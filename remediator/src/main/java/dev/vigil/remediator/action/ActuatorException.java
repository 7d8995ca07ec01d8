package dev.vigil.remediator.action;

/** An action that was attempted and failed; the message says what the platform answered. */
public class ActuatorException extends RuntimeException {

	public ActuatorException(String message) {
		super(message);
	}

	public ActuatorException(String message, Throwable cause) {
		super(message, cause);
	}

}
