package dev.vigil.launcher;

/** A failure the user can fix; its message says how. Printed without a stack trace. */
public class LauncherException extends RuntimeException {

	public LauncherException(String message) {
		super(message);
	}

	public LauncherException(String message, Throwable cause) {
		super(message, cause);
	}

}
