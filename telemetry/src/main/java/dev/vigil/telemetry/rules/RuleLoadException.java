package dev.vigil.telemetry.rules;

/** A rule file that cannot be used; the message names the file, group and rule. */
public final class RuleLoadException extends Exception {

	public RuleLoadException(String message) {
		super(message);
	}

}
