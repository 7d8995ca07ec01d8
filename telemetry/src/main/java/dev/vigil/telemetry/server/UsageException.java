package dev.vigil.telemetry.server;

/** A command-line or configuration mistake: what is wrong and how to fix it; reported without a stack trace. */
public final class UsageException extends Exception {

	private final String fix;

	public UsageException(String message, String fix) {
		super(message);
		this.fix = fix;
	}

	public String fix() {
		return fix;
	}

}
