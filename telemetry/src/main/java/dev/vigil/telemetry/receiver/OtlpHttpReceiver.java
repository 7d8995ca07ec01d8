package dev.vigil.telemetry.receiver;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP/HTTP on port 4318: {@code POST /v1/metrics}, {@code /v1/traces}, {@code /v1/logs} with
 * {@code application/x-protobuf} or {@code application/json} bodies, optionally gzip-compressed. Status codes per the
 * OTLP spec: 400 malformed (with a {@code google.rpc.Status} body), 413 too large, 415 unsupported media type or
 * encoding, 429 + {@code Retry-After} when the ingest limit is reached.
 */
public final class OtlpHttpReceiver implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(OtlpHttpReceiver.class);

	private static final String PROTOBUF = "application/x-protobuf";

	private static final String JSON = "application/json";

	private final HttpServer server;
	private final ThreadPoolExecutor executor;
	private final OtlpIngest ingest;
	private final int maxBodyBytes;

	private OtlpHttpReceiver(HttpServer server, ThreadPoolExecutor executor, OtlpIngest ingest, int maxBodyBytes) {
		this.server = server;
		this.executor = executor;
		this.ingest = ingest;
		this.maxBodyBytes = maxBodyBytes;
	}

	/**
	 * @param maxBodyBytes largest accepted body, compressed and decompressed alike
	 */
	public static OtlpHttpReceiver start(String host, int port, OtlpIngest ingest, int maxBodyBytes, int threads)
			throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 128);
		// a full queue runs the handler on the accepting thread, which then refuses it quickly with 429: the
		// in-flight limit rather than an unbounded queue decides
		ThreadPoolExecutor executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
				new ArrayBlockingQueue<>(threads * 4), r -> {
					Thread t = new Thread(r, "otlp-http");
					t.setDaemon(true);
					return t;
				}, new ThreadPoolExecutor.CallerRunsPolicy());
		server.setExecutor(executor);
		OtlpHttpReceiver receiver = new OtlpHttpReceiver(server, executor, ingest, maxBodyBytes);
		// protobuf metrics and spans go to the same decoders as OTLP/gRPC's, without building messages
		Export metricsJson = parsed(ExportMetricsServiceRequest::newBuilder,
				req -> ingest.exportMetrics((ExportMetricsServiceRequest) req));
		server.createContext("/v1/metrics", ex -> receiver.handle(ex,
				(body, json) -> json ? metricsJson.export(body, true) : ingest.exportMetrics(body, 0, body.length)));
		// spans are decoded from the protobuf bytes in place (JSON converted to them first): one decoder for all
		server.createContext("/v1/traces", ex -> receiver.handle(ex, (body, json) -> {
			if (json) {
				ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
				OtlpJson.merge(body, request);
				body = request.build().toByteArray();
			}
			return ingest.exportTraces(body);
		}));
		server.createContext("/v1/logs", ex -> receiver.handle(ex, parsed(ExportLogsServiceRequest::newBuilder,
				req -> ingest.exportLogs((ExportLogsServiceRequest) req))));
		server.start();
		log.info("OTLP/HTTP receiver listening on {}:{}", host, server.getAddress().getPort());
		return receiver;
	}

	public int port() {
		return server.getAddress().getPort();
	}

	@Override
	public void close() {
		server.stop(0);
		executor.shutdownNow();
	}

	/** Decodes a request body (protobuf, or OTLP/JSON) and exports it, answering the response message. */
	@FunctionalInterface
	private interface Export {

		Message export(byte[] body, boolean json) throws InvalidProtocolBufferException;

	}

	/** An export of a request parsed into protobuf objects first. */
	private static Export parsed(Supplier<Message.Builder> builder, Function<Message, Message> export) {
		return (body, json) -> {
			Message.Builder b = builder.get();
			if (json) {
				OtlpJson.merge(body, b);
			}
			else {
				b.mergeFrom(body);
			}
			return export.apply(b.build());
		};
	}

	private void handle(HttpExchange ex, Export export) throws IOException {
		try (ex) {
			String path = ex.getRequestURI().getPath();
			if (!path.equals(ex.getHttpContext().getPath())) {
				plain(ex, 404, "404 page not found: " + path);
				return;
			}
			if (!ex.getRequestMethod().equals("POST")) {
				ex.getResponseHeaders().set("Allow", "POST");
				plain(ex, 405, "method " + ex.getRequestMethod() + " not allowed; OTLP/HTTP uses POST");
				return;
			}
			String type = mediaType(ex.getRequestHeaders().getFirst("Content-Type"));
			if (!type.equals(PROTOBUF) && !type.equals(JSON)) {
				plain(ex, 415, "unsupported Content-Type \"" + type + "\"; use " + PROTOBUF + " or " + JSON);
				return;
			}
			String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
			encoding = encoding == null ? "" : encoding.trim().toLowerCase(Locale.ROOT);
			if (!encoding.isEmpty() && !encoding.equals("gzip") && !encoding.equals("identity")) {
				status(ex, type, 415, "unsupported Content-Encoding \"" + encoding + "\"; use gzip or none");
				return;
			}
			String length = ex.getRequestHeaders().getFirst("Content-Length");
			if (length != null && parseLong(length) > maxBodyBytes) {
				ingest.stats().requestsTooLarge.increment();
				discardModestOverflow(ex.getRequestBody(), parseLong(length));
				status(ex, type, 413, "request body of " + length + " bytes exceeds the limit of " + maxBodyBytes);
				return;
			}
			if (!ingest.limiter().tryAcquire()) {
				ingest.stats().requestsThrottled.increment();
				ex.getResponseHeaders().set("Retry-After", "1");
				status(ex, type, 429, "ingest queue full; retry later");
				return;
			}
			try {
				byte[] body;
				try {
					InputStream in = ex.getRequestBody();
					body = readLimited(encoding.equals("gzip") ? new GZIPInputStream(in) : in);
				}
				catch (ZipException e) {
					ingest.stats().requestsInvalid.increment();
					status(ex, type, 400, "body is not valid gzip: " + e.getMessage());
					return;
				}
				if (body == null) {
					ingest.stats().requestsTooLarge.increment();
					status(ex, type, 413, "request body exceeds the limit of " + maxBodyBytes + " bytes"
							+ (encoding.equals("gzip") ? " (after decompression)" : ""));
					return;
				}
				Message response;
				try {
					response = export.export(body, type.equals(JSON));
				}
				catch (InvalidProtocolBufferException e) {
					ingest.stats().requestsInvalid.increment();
					status(ex, type, 400, "cannot decode " + (type.equals(JSON) ? "OTLP/JSON" : "OTLP/protobuf")
							+ " request: " + e.getMessage());
					return;
				}
				respond(ex, type, 200, response);
			}
			finally {
				ingest.limiter().release();
			}
		}
		catch (RuntimeException e) {
			log.warn("OTLP/HTTP export failed", e);
			try {
				plain(ex, 500, "internal error: " + e.getMessage());
			}
			catch (IOException | RuntimeException ignored) {
				// the response may have been started already
			}
		}
	}

	private static long parseLong(String s) {
		try {
			return Long.parseLong(s.trim());
		}
		catch (NumberFormatException e) {
			return -1;
		}
	}

	/**
	 * Reads and throws away the body of a request rejected for its size, if it is at most a few times the limit.
	 * Answering 413 while the client is still sending and then closing the connection makes many clients (the JDK's
	 * among them) see a reset instead of the 413; draining a modest overflow lets them read the answer. Larger bodies
	 * are not read: the connection is closed, which bounds the work an abusive client can cause.
	 */
	private void discardModestOverflow(InputStream in, long length) throws IOException {
		if (length > 4L * maxBodyBytes) {
			return;
		}
		byte[] buffer = new byte[8192];
		while (in.read(buffer) >= 0) {
			// discard
		}
	}

	/** The body, or null when it exceeds the limit. */
	private byte[] readLimited(InputStream in) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] buf = new byte[16384];
		int n;
		while ((n = in.read(buf)) >= 0) {
			if (out.size() + n > maxBodyBytes) {
				return null;
			}
			out.write(buf, 0, n);
		}
		return out.toByteArray();
	}

	private static String mediaType(String contentType) {
		if (contentType == null) {
			return "";
		}
		int semi = contentType.indexOf(';');
		return (semi >= 0 ? contentType.substring(0, semi) : contentType).trim().toLowerCase(Locale.ROOT);
	}

	private static void status(HttpExchange ex, String type, int code, String message) throws IOException {
		com.google.rpc.Status s = com.google.rpc.Status.newBuilder()
			.setCode(code == 429 ? com.google.rpc.Code.RESOURCE_EXHAUSTED_VALUE
					: com.google.rpc.Code.INVALID_ARGUMENT_VALUE)
			.setMessage(message)
			.build();
		respond(ex, type, code, s);
	}

	private static void respond(HttpExchange ex, String type, int code, Message m) throws IOException {
		byte[] bytes = type.equals(JSON) ? OtlpJson.print(m).getBytes(StandardCharsets.UTF_8) : m.toByteArray();
		ex.getResponseHeaders().set("Content-Type", type);
		ex.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
		if (bytes.length > 0) {
			try (OutputStream os = ex.getResponseBody()) {
				os.write(bytes);
			}
		}
	}

	private static void plain(HttpExchange ex, int code, String message) throws IOException {
		byte[] bytes = (message + "\n").getBytes(StandardCharsets.UTF_8);
		ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
		ex.sendResponseHeaders(code, bytes.length);
		try (OutputStream os = ex.getResponseBody()) {
			os.write(bytes);
		}
	}

}
