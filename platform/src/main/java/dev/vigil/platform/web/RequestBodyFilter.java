package dev.vigil.platform.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards request bodies before Spring MVC sees them.
 * <ul>
 * <li>Size: requests announcing a larger Content-Length than the limit are refused before any byte is read; bodies
 * without a length are counted while read and fail with {@link RequestBodyTooLargeException}.</li>
 * <li>Content-Type: a header that is not a concrete media type ({@code *}{@code /*}, unknown charset, unparseable)
 * is refused with 415 here, because Spring MVC fails on it with an {@code IllegalArgumentException} deep inside
 * request handling, which would otherwise surface as a 500.</li>
 * </ul>
 */
class RequestBodyFilter extends OncePerRequestFilter {

	private final long limit;

	private final ProblemResponseWriter writer;

	RequestBodyFilter(long limit, ProblemResponseWriter writer) {
		this.limit = limit;
		this.writer = writer;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getContentLengthLong() > this.limit) {
			// Nothing of the body is read; Tomcat drains a bounded amount (maxSwallowSize) or closes the connection.
			this.writer.write(request, response, HttpStatus.CONTENT_TOO_LARGE,
					"Request body exceeds the limit of " + this.limit + " bytes");
			return;
		}
		String contentType = request.getContentType();
		if (contentType != null && !isConcreteMediaType(contentType)) {
			this.writer.write(request, response, HttpStatus.UNSUPPORTED_MEDIA_TYPE,
					"Content-Type must be a concrete media type with a supported charset");
			return;
		}
		chain.doFilter(new LimitedRequest(request, this.limit), response);
	}

	private static boolean isConcreteMediaType(String contentType) {
		try {
			MediaType type = MediaType.parseMediaType(contentType);
			type.getCharset(); // throws for unknown or illegal charset names
			return !type.isWildcardType() && !type.isWildcardSubtype();
		}
		catch (IllegalArgumentException ex) {
			// InvalidMediaTypeException, IllegalCharsetNameException and UnsupportedCharsetException all are.
			return false;
		}
	}

	private static final class LimitedRequest extends HttpServletRequestWrapper {

		private final long limit;

		private ServletInputStream stream;

		LimitedRequest(HttpServletRequest request, long limit) {
			super(request);
			this.limit = limit;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (this.stream == null) {
				this.stream = new CountingInputStream(super.getInputStream(), this.limit);
			}
			return this.stream;
		}

	}

	private static final class CountingInputStream extends ServletInputStream {

		private final ServletInputStream delegate;

		private final long limit;

		private long count;

		CountingInputStream(ServletInputStream delegate, long limit) {
			this.delegate = delegate;
			this.limit = limit;
		}

		@Override
		public int read() throws IOException {
			int b = this.delegate.read();
			if (b >= 0) {
				count(1);
			}
			return b;
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			int n = this.delegate.read(b, off, len);
			if (n > 0) {
				count(n);
			}
			return n;
		}

		private void count(int n) throws RequestBodyTooLargeException {
			this.count += n;
			if (this.count > this.limit) {
				throw new RequestBodyTooLargeException(this.limit);
			}
		}

		@Override
		public boolean isFinished() {
			return this.delegate.isFinished();
		}

		@Override
		public boolean isReady() {
			return this.delegate.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			this.delegate.setReadListener(listener);
		}

		@Override
		public void close() throws IOException {
			this.delegate.close();
		}

	}

}
