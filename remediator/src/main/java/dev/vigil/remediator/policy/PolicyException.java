package dev.vigil.remediator.policy;

/** A policy file that cannot be used; the message names the file and the field. */
public class PolicyException extends RuntimeException {

	public PolicyException(String message) {
		super(message);
	}

}
