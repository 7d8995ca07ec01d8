package dev.vigil.slo;

import java.nio.file.Path;

/** A spec the generator refuses, with the file and the field a user has to fix. */
final class InvalidSpecException extends RuntimeException {

	InvalidSpecException(Path file, String field, String problem) {
		super(file + ": " + field + ": " + problem);
	}

}
