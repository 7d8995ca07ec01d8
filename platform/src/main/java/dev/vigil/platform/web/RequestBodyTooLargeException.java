package dev.vigil.platform.web;

import java.io.IOException;

/**
 * Thrown while reading a request body that turns out larger than the limit (chunked bodies carry no
 * Content-Length). An {@link IOException} so that it travels through message converters as a read failure and
 * can be recognised in the cause chain.
 */
public class RequestBodyTooLargeException extends IOException {

	private final long limit;

	RequestBodyTooLargeException(long limit) {
		super("Request body exceeds " + limit + " bytes");
		this.limit = limit;
	}

	public long getLimit() {
		return this.limit;
	}

}
