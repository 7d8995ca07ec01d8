package dev.vigil.loadgen;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A lean HTTP/1.1 client for plain-http targets: one selector thread, keep-alive connections, one request per
 * connection at a time (no pipelining), responses parsed in place. It exists because the JDK client spends a few
 * hundred microseconds of CPU per request in future chains and thread hops; a generator that wants to hold
 * 10,000 req/s on one core cannot afford that. https and anything unusual goes to the fallback transport.
 */
final class NioTransport implements Transport {

	private static final byte[] USER_AGENT = "User-Agent: vigil-loadgen\r\n".getBytes(StandardCharsets.US_ASCII);

	private final Transport fallback;

	private final Duration defaultTimeout;

	private final Loop loop;

	// Scheduler-thread-only cache: http-get reuses one immutable request; encode it once.
	private HttpRequest lastRequest;

	private byte[] lastBytes;

	NioTransport(Transport fallback, Duration defaultTimeout) throws IOException {
		this.fallback = fallback;
		this.defaultTimeout = defaultTimeout;
		this.loop = new Loop();
		Thread t = new Thread(loop, "vigil-loadgen-nio");
		t.setDaemon(true);
		t.start();
	}

	@Override
	public void send(Workload.Call call, Callback callback) {
		HttpRequest request = call.request();
		URI uri = request.uri();
		if (!"http".equalsIgnoreCase(uri.getScheme()) || request.expectContinue()) {
			fallback.send(call, callback);
			return;
		}
		byte[] bytes;
		if (request == lastRequest) {
			bytes = lastBytes;
		}
		else {
			try {
				bytes = encode(request);
			}
			catch (RuntimeException e) {
				callback.complete(0, null, e);
				return;
			}
			lastRequest = request;
			lastBytes = bytes;
		}
		long timeout = request.timeout().orElse(defaultTimeout).toNanos();
		int port = uri.getPort() < 0 ? 80 : uri.getPort();
		boolean head = request.method().equals("HEAD");
		boolean idempotent = head || request.method().equals("GET");
		loop.submit(new Pending(uri.getHost(), port, bytes, System.nanoTime() + timeout, call.wantsBody(), head,
				idempotent, callback));
	}

	@Override
	public void close() {
		loop.close();
		fallback.close();
	}

	/** Request line, Host, the request's headers, Content-Length, body. */
	static byte[] encode(HttpRequest request) {
		URI uri = request.uri();
		StringBuilder sb = new StringBuilder(256);
		String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
		sb.append(request.method()).append(' ').append(path);
		if (uri.getRawQuery() != null) {
			sb.append('?').append(uri.getRawQuery());
		}
		sb.append(" HTTP/1.1\r\nHost: ").append(uri.getHost());
		if (uri.getPort() >= 0) {
			sb.append(':').append(uri.getPort());
		}
		sb.append("\r\n");
		request.headers().map().forEach((name, values) -> {
			for (String v : values) {
				sb.append(name).append(": ").append(v).append("\r\n");
			}
		});
		byte[] body = request.bodyPublisher().map(NioTransport::bodyBytes).orElse(null);
		if (body != null) {
			sb.append("Content-Length: ").append(body.length).append("\r\n");
		}
		byte[] head = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
		ByteArrayOutputStream out = new ByteArrayOutputStream(head.length + USER_AGENT.length + 2
				+ (body == null ? 0 : body.length));
		out.writeBytes(head);
		if (!request.headers().firstValue("User-Agent").isPresent()) {
			out.writeBytes(USER_AGENT);
		}
		out.writeBytes(new byte[] { '\r', '\n' });
		if (body != null) {
			out.writeBytes(body);
		}
		return out.toByteArray();
	}

	/** Drains an in-memory publisher (ofString, ofByteArray), which publishes synchronously when asked. */
	private static byte[] bodyBytes(HttpRequest.BodyPublisher publisher) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		AtomicBoolean done = new AtomicBoolean();
		Throwable[] error = { null };
		publisher.subscribe(new Flow.Subscriber<ByteBuffer>() {
			@Override
			public void onSubscribe(Flow.Subscription s) {
				s.request(Long.MAX_VALUE);
			}

			@Override
			public void onNext(ByteBuffer item) {
				byte[] b = new byte[item.remaining()];
				item.get(b);
				out.writeBytes(b);
			}

			@Override
			public void onError(Throwable t) {
				error[0] = t;
				done.set(true);
			}

			@Override
			public void onComplete() {
				done.set(true);
			}
		});
		if (!done.get() || error[0] != null) {
			throw new IllegalArgumentException("request body must be in memory (BodyPublishers.ofString/ofByteArray)",
					error[0]);
		}
		return out.toByteArray();
	}

	/** One request waiting for, or on, a connection. */
	static final class Pending {

		final String host;

		final int port;

		final byte[] bytes;

		final long deadline;

		final boolean wantsBody;

		final boolean head;

		final boolean idempotent;

		final Callback callback;

		boolean retried;

		Pending(String host, int port, byte[] bytes, long deadline, boolean wantsBody, boolean head,
				boolean idempotent, Callback callback) {
			this.host = host;
			this.port = port;
			this.bytes = bytes;
			this.deadline = deadline;
			this.wantsBody = wantsBody;
			this.head = head;
			this.idempotent = idempotent;
			this.callback = callback;
		}
	}

	/** The selector loop. Everything below runs on its thread, except submit() and close(). */
	static final class Loop implements Runnable {

		private final Selector selector;

		private final ConcurrentLinkedQueue<Pending> submissions = new ConcurrentLinkedQueue<>();

		private final AtomicBoolean wakeupPending = new AtomicBoolean();

		private final AtomicBoolean sleeping = new AtomicBoolean();

		private final Map<String, ArrayDeque<Conn>> idle = new HashMap<>();

		private final Map<String, InetSocketAddress> addresses = new HashMap<>();

		private final Set<Conn> active = new HashSet<>();

		private final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);

		private final byte[] chunk = new byte[64 * 1024];

		private volatile boolean closed;

		private long nextTimeoutScan;

		Loop() throws IOException {
			selector = Selector.open();
		}

		void submit(Pending p) {
			submissions.add(p);
			// Wake the selector only if it is (about to be) blocked; while it is working it drains the queue anyway,
			// so at high rates most submissions skip the syscall.
			if (sleeping.get() && wakeupPending.compareAndSet(false, true)) {
				selector.wakeup();
			}
		}

		void close() {
			closed = true;
			selector.wakeup();
		}

		@Override
		public void run() {
			try {
				while (!closed) {
					sleeping.set(true);
					// Re-check after announcing sleep: a submission that saw sleeping == false is in the queue.
					if (submissions.isEmpty()) {
						selector.select(10);
					}
					else {
						selector.selectNow();
					}
					sleeping.set(false);
					wakeupPending.set(false);
					Pending p;
					while ((p = submissions.poll()) != null) {
						start(p, false);
					}
					Iterator<SelectionKey> it = selector.selectedKeys().iterator();
					while (it.hasNext()) {
						SelectionKey key = it.next();
						it.remove();
						Conn c = (Conn) key.attachment();
						if (!key.isValid()) {
							continue;
						}
						try {
							if (key.isConnectable()) {
								c.channel.finishConnect();
								writeRequest(c);
							}
							else if (key.isWritable()) {
								writeRequest(c);
							}
							else if (key.isReadable()) {
								read(c);
							}
						}
						catch (IOException | RuntimeException e) {
							fail(c, e);
						}
					}
					long now = System.nanoTime();
					if (now - nextTimeoutScan >= 0) {
						nextTimeoutScan = now + 5_000_000;
						expire(now);
					}
				}
			}
			catch (IOException | RuntimeException e) {
				// Selector broken: fail everything rather than leave requests hanging.
				for (Conn c : new ArrayList<>(active)) {
					fail(c, e);
				}
			}
			finally {
				for (SelectionKey k : selector.keys()) {
					closeQuietly((Conn) k.attachment());
				}
				try {
					selector.close();
				}
				catch (IOException ignored) {
					// closing anyway
				}
				Pending p;
				while ((p = submissions.poll()) != null) {
					p.callback.complete(0, null, new IOException("load generator transport closed"));
				}
			}
		}

		private void start(Pending p, boolean fresh) {
			String key = p.host + ':' + p.port;
			Conn c = null;
			ArrayDeque<Conn> pool = idle.get(key);
			while (!fresh && pool != null && (c = pool.pollLast()) != null && !c.open) {
				c = null;
			}
			try {
				if (c == null) {
					InetSocketAddress address = addresses.computeIfAbsent(key,
							k -> new InetSocketAddress(p.host, p.port));
					SocketChannel ch = SocketChannel.open();
					ch.configureBlocking(false);
					ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
					c = new Conn(ch, key);
					c.key = ch.register(selector, 0, c);
					c.pending = p;
					active.add(c);
					if (ch.connect(address)) {
						writeRequest(c);
					}
					else {
						c.key.interestOps(SelectionKey.OP_CONNECT);
					}
				}
				else {
					c.reused = true;
					c.pending = p;
					active.add(c);
					writeRequest(c);
				}
			}
			catch (IOException | RuntimeException e) {
				if (c != null) {
					fail(c, e);
				}
				else {
					p.callback.complete(0, null, e);
				}
			}
		}

		private void writeRequest(Conn c) throws IOException {
			if (c.out == null) {
				c.out = ByteBuffer.wrap(c.pending.bytes);
				c.reset(c.pending);
			}
			c.channel.write(c.out);
			c.key.interestOps(c.out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
		}

		private void read(Conn c) throws IOException {
			in.clear();
			int n = c.channel.read(in);
			if (c.pending == null) { // idle connection: the server closed it (or sent junk); drop it
				closeQuietly(c);
				return;
			}
			if (n < 0) {
				if (c.mode == Conn.UNTIL_CLOSE) {
					finish(c, false);
				}
				else {
					throw new IOException("connection closed by server before the response was complete");
				}
				return;
			}
			in.flip();
			c.received += n;
			in.get(chunk, 0, n);
			if (c.feed(chunk, 0, n)) {
				finish(c, c.keepAlive);
			}
		}

		private void finish(Conn c, boolean keepAlive) {
			Pending p = c.pending;
			c.pending = null;
			c.out = null;
			active.remove(c);
			if (keepAlive) {
				c.key.interestOps(SelectionKey.OP_READ); // notice a server-side close while idle
				idle.computeIfAbsent(c.poolKey, k -> new ArrayDeque<>()).addLast(c);
			}
			else {
				closeQuietly(c);
			}
			p.callback.complete(c.status, c.body == null ? null : c.body.toString(StandardCharsets.UTF_8), null);
		}

		private void fail(Conn c, Throwable e) {
			Pending p = c.pending;
			c.pending = null;
			active.remove(c);
			closeQuietly(c);
			if (p == null) {
				return;
			}
			// A kept-alive connection the server had already closed: nothing was received, so resending a GET on a
			// fresh connection is safe. Anything else is reported as it happened.
			if (c.reused && c.received == 0 && p.idempotent && !p.retried && !(e instanceof HttpTimeoutException)) {
				p.retried = true;
				start(p, true);
				return;
			}
			Throwable failure = e;
			if (!c.connected() && e instanceof IOException && !(e instanceof ConnectException)
					&& !(e instanceof HttpTimeoutException)) {
				failure = new ConnectException(e.getMessage());
			}
			p.callback.complete(0, null, failure);
		}

		private void expire(long now) {
			List<Conn> expired = null;
			for (Conn c : active) {
				if (c.pending != null && now - c.pending.deadline >= 0) {
					if (expired == null) {
						expired = new ArrayList<>();
					}
					expired.add(c);
				}
			}
			if (expired != null) {
				for (Conn c : expired) {
					fail(c, new HttpTimeoutException("request timed out"));
				}
			}
		}

		private static void closeQuietly(Conn c) {
			if (c == null) {
				return;
			}
			c.open = false;
			try {
				c.channel.close();
			}
			catch (IOException ignored) {
				// already broken
			}
		}
	}

	/** A connection and the incremental parser of the response on it. */
	static final class Conn {

		static final int HEADERS = 0, LENGTH = 1, CHUNK_SIZE = 2, CHUNK_DATA = 3, CHUNK_CRLF = 4, TRAILERS = 5,
				UNTIL_CLOSE = 6, DONE = 7;

		final SocketChannel channel;

		final String poolKey;

		SelectionKey key;

		boolean open = true;

		boolean reused;

		Pending pending;

		ByteBuffer out;

		long received;

		// parser state
		int mode;

		int status;

		boolean keepAlive;

		long remaining;

		final StringBuilder line = new StringBuilder();

		byte[] headerBytes = new byte[1024];

		int headerLength;

		ByteArrayOutputStream body;

		Conn(SocketChannel channel, String poolKey) {
			this.channel = channel;
			this.poolKey = poolKey;
		}

		private static int indexOfCrlf(byte[] b, int from, int to) {
			for (int i = from; i + 1 < to; i++) {
				if (b[i] == '\r' && b[i + 1] == '\n') {
					return i;
				}
			}
			return to;
		}

		/** ASCII case-insensitive match of {@code lower} at {@code at}. */
		private static boolean is(byte[] b, int at, String lower) {
			for (int i = 0; i < lower.length(); i++) {
				int c = b[at + i];
				if (c >= 'A' && c <= 'Z') {
					c += 32;
				}
				if (c != lower.charAt(i)) {
					return false;
				}
			}
			return true;
		}

		private static boolean contains(byte[] b, int from, int to, String lower) {
			for (int i = from; i + lower.length() <= to; i++) {
				if (is(b, i, lower)) {
					return true;
				}
			}
			return false;
		}

		boolean connected() {
			return channel.isConnected();
		}

		void reset(Pending p) {
			mode = HEADERS;
			status = 0;
			keepAlive = true;
			remaining = 0;
			headerLength = 0;
			received = 0;
			line.setLength(0);
			body = p.wantsBody ? new ByteArrayOutputStream() : null;
		}

		/** Consumes bytes; true when the response is complete. */
		boolean feed(byte[] b, int off, int len) throws IOException {
			int i = off;
			int end = off + len;
			while (i < end) {
				switch (mode) {
					case HEADERS: {
						while (i < end) {
							if (headerLength == headerBytes.length) {
								if (headerLength >= 64 * 1024) {
									throw new IOException("response headers larger than 64 KiB");
								}
								headerBytes = java.util.Arrays.copyOf(headerBytes, headerLength * 2);
							}
							headerBytes[headerLength++] = b[i++];
							if (headerLength >= 4 && headerBytes[headerLength - 1] == '\n'
									&& headerBytes[headerLength - 2] == '\r' && headerBytes[headerLength - 3] == '\n'
									&& headerBytes[headerLength - 4] == '\r') {
								parseHeaders();
								break;
							}
						}
						if (mode == DONE) {
							return true;
						}
						break;
					}
					case LENGTH:
					case CHUNK_DATA: {
						// a sized body and a chunk's data are read the same way; they differ in what follows
						int take = (int) Math.min(remaining, end - i);
						if (body != null) {
							body.write(b, i, take);
						}
						i += take;
						remaining -= take;
						if (remaining == 0) {
							if (mode == LENGTH) {
								mode = DONE;
								return true;
							}
							mode = CHUNK_CRLF;
						}
						break;
					}
					case CHUNK_SIZE:
					case TRAILERS:
					case CHUNK_CRLF: {
						char ch = (char) (b[i++] & 0xff);
						if (ch != '\n') {
							line.append(ch);
							break;
						}
						String l = line.toString().trim();
						line.setLength(0);
						if (mode == CHUNK_CRLF) {
							mode = CHUNK_SIZE;
						}
						else if (mode == TRAILERS) {
							if (l.isEmpty()) {
								mode = DONE;
								return true;
							}
						}
						else {
							int semi = l.indexOf(';');
							remaining = Long.parseLong(semi < 0 ? l : l.substring(0, semi).trim(), 16);
							mode = remaining == 0 ? TRAILERS : CHUNK_DATA;
						}
						break;
					}
					case UNTIL_CLOSE: {
						if (body != null) {
							body.write(b, i, end - i);
						}
						i = end;
						break;
					}
					default:
						return true; // extra bytes after a complete response: ignore
				}
			}
			return mode == DONE;
		}

		/** Hand-rolled over the raw bytes: this runs once per response, so no regex, split or lower-casing. */
		private void parseHeaders() throws IOException {
			byte[] h = headerBytes;
			int n = headerLength;
			headerLength = 0;
			int eol = indexOfCrlf(h, 0, n);
			if (eol < 12 || h[0] != 'H' || h[5] != '1' || h[6] != '.') {
				throw new IOException("not an HTTP/1.x response: "
						+ new String(h, 0, Math.max(0, Math.min(eol, 80)), StandardCharsets.ISO_8859_1));
			}
			status = (h[9] - '0') * 100 + (h[10] - '0') * 10 + (h[11] - '0');
			if (status < 100 || status > 999) {
				throw new IOException("bad status line");
			}
			keepAlive = h[7] != '0'; // HTTP/1.0 closes unless told otherwise
			long contentLength = -1;
			boolean chunked = false;
			int start = eol + 2;
			while (start < n) {
				int end = indexOfCrlf(h, start, n);
				if (end <= start) {
					break; // the blank line
				}
				int colon = start;
				while (colon < end && h[colon] != ':') {
					colon++;
				}
				int v = colon + 1;
				while (v < end && (h[v] == ' ' || h[v] == '\t')) {
					v++;
				}
				int nameLength = colon - start;
				if (nameLength == 14 && is(h, start, "content-length")) {
					contentLength = 0;
					for (int k = v; k < end && h[k] >= '0' && h[k] <= '9'; k++) {
						contentLength = contentLength * 10 + (h[k] - '0');
					}
				}
				else if (nameLength == 17 && is(h, start, "transfer-encoding")) {
					chunked = contains(h, v, end, "chunked");
				}
				else if (nameLength == 10 && is(h, start, "connection")) {
					if (contains(h, v, end, "close")) {
						keepAlive = false;
					}
					else if (contains(h, v, end, "keep-alive")) {
						keepAlive = true;
					}
				}
				start = end + 2;
			}
			if (status >= 100 && status < 200) {
				mode = HEADERS; // interim response; the real one follows
				return;
			}
			if (pending.head || status == 204 || status == 304) {
				mode = DONE;
			}
			else if (chunked) {
				mode = CHUNK_SIZE;
			}
			else if (contentLength >= 0) {
				remaining = contentLength;
				mode = contentLength == 0 ? DONE : LENGTH;
			}
			else {
				mode = UNTIL_CLOSE;
				keepAlive = false;
			}
		}
	}
}
