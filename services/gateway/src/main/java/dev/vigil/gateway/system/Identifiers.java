package dev.vigil.gateway.system;

/** The shape of ids the gateway accepts in paths and bodies (product ids like "sku-0001", order UUIDs). */
public final class Identifiers {

	/** Bounded and free of path or quoting characters, so an id can never smuggle anything downstream. */
	public static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}";

	public static final String MESSAGE = "must be 1-64 letters, digits, '_', '.', ':' or '-'";

	private Identifiers() {
	}

}
