package dev.vigil.telemetry.bench;

import com.google.protobuf.ByteString;
import dev.vigil.telemetry.receiver.RawBytesMarshaller;
import dev.vigil.telemetry.traces.TraceStore;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Trace store figures (not a unit test). Two modes:
 *
 * <pre>
 * TraceBench client GRPC_PORT HTTP_PORT SERVER_PID [spans=2000000]
 *     span ingest over OTLP/gRPC into a running server (batches of 1,000 spans, 10 attributes each, 10 spans per
 *     trace; encoded before the timed sends, 4 in flight), spans/s wall clock and per CPU-second of the server process (from /proc), then trace by id and
 *     TraceQL search over the stored spans through the HTTP API
 * TraceBench memory [spans=1000000]
 *     heap per stored span, in process (heap after GC / spans)
 * </pre>
 *
 * bench/telemetry/traces.sh runs both with the server pinned to one core.
 */
public final class TraceBench {

	static final int BATCH = 1_000;

	static final int SPANS_PER_TRACE = 10;

	static final String[] SERVICES = { "vigil-gateway", "vigil-orders", "vigil-inventory", "vigil-payments",
			"vigil-notifications" };

	static final String[] ROUTES = { "/api/orders", "/api/orders/{id}", "/api/products", "/api/products/{id}",
			"/api/cart", "/api/login", "/api/register", "/api/checkout" };

	private TraceBench() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && args[0].equals("memory")) {
			memory(args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000);
		}
		else if (args.length >= 4 && args[0].equals("client")) {
			client(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]),
					args.length > 4 ? Integer.parseInt(args[4]) : 2_000_000);
		}
		else {
			System.err.println("usage: TraceBench client GRPC_PORT HTTP_PORT SERVER_PID [spans] | memory [spans]");
			System.exit(2);
		}
		System.exit(0);
	}

	// ---- data ------------------------------------------------------------------------------------------------

	static ByteString traceId(long n) {
		return ByteString.copyFrom(ByteBuffer.allocate(16).putLong(0x5eed_0000_0000_0000L).putLong(n + 1).array());
	}

	static String traceHex(long n) {
		return String.format("%016x%016x", 0x5eed_0000_0000_0000L, n + 1);
	}

	private static KeyValue kv(String key, String value) {
		return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
	}

	private static KeyValue kv(String key, long value) {
		return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
	}

	/**
	 * Batch {@code b}: 100 traces of 10 spans, one resource per service. 10 attributes per span: method, route,
	 * status code, url scheme, server address, user id (1 in 10,000 values: a needle for search), order id (unique),
	 * thread name, a boolean-ish flag and an rpc system. 1 trace in 50 fails.
	 */
	static ExportTraceServiceRequest batch(long b, long nowNanos) {
		Random random = new Random(b);
		ScopeSpans.Builder[] scopes = new ScopeSpans.Builder[SERVICES.length];
		for (int s = 0; s < SERVICES.length; s++) {
			scopes[s] = ScopeSpans.newBuilder();
		}
		int traces = BATCH / SPANS_PER_TRACE;
		for (int t = 0; t < traces; t++) {
			long traceNumber = b * traces + t;
			ByteString traceId = traceId(traceNumber);
			boolean failed = traceNumber % 50 == 0;
			long start = nowNanos - random.nextInt(1_000_000_000);
			String route = ROUTES[(int) (traceNumber % ROUTES.length)];
			for (int i = 0; i < SPANS_PER_TRACE; i++) {
				int service = i == 0 ? 0 : 1 + (i % (SERVICES.length - 1));
				long duration = (i == 0 ? 50_000_000L : 1_000_000L) + random.nextInt(i == 0 ? 400_000_000 : 40_000_000);
				Span.Builder span = Span.newBuilder()
					.setTraceId(traceId)
					.setSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(traceNumber * 16 + i + 1).array()))
					.setName(i == 0 ? "POST " + route : SERVICES[service].substring(6) + ".op" + (i % 4))
					.setKind(i == 0 ? Span.SpanKind.SPAN_KIND_SERVER
							: i % 2 == 0 ? Span.SpanKind.SPAN_KIND_CLIENT : Span.SpanKind.SPAN_KIND_SERVER)
					.setStartTimeUnixNano(start + i * 1_000_000L)
					.setEndTimeUnixNano(start + i * 1_000_000L + duration)
					.setStatus(Status.newBuilder()
						.setCode(failed && i >= SPANS_PER_TRACE - 2 ? Status.StatusCode.STATUS_CODE_ERROR
								: Status.StatusCode.STATUS_CODE_UNSET))
					.addAttributes(kv("http.request.method", i % 3 == 0 ? "POST" : "GET"))
					.addAttributes(kv("http.route", route))
					.addAttributes(kv("http.response.status_code", failed ? 500 : 200))
					.addAttributes(kv("url.scheme", "http"))
					.addAttributes(kv("server.address", SERVICES[service]))
					.addAttributes(kv("user.id", "u" + (traceNumber % 10_000)))
					.addAttributes(kv("order.id", Long.toString(traceNumber)))
					.addAttributes(kv("thread.name", "http-nio-" + (i % 8)))
					.addAttributes(kv("retry", i % 7 == 0 ? "true" : "false"))
					.addAttributes(kv("rpc.system", "grpc"));
				if (i > 0) {
					span.setParentSpanId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(traceNumber * 16 + 1).array()));
				}
				scopes[service].addSpans(span);
			}
		}
		ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
		for (int s = 0; s < SERVICES.length; s++) {
			request.addResourceSpans(ResourceSpans.newBuilder()
				.setResource(Resource.newBuilder()
					.addAttributes(kv("service.name", SERVICES[s]))
					.addAttributes(kv("service.namespace", "shop"))
					.addAttributes(kv("deployment.environment.name", "bench"))
					.addAttributes(kv("telemetry.sdk.language", "java")))
				.addScopeSpans(scopes[s]));
		}
		return request.build();
	}

	// ---- client mode -------------------------------------------------------------------------------------------

	private static void client(int grpcPort, int httpPort, long serverPid, int totalSpans) throws Exception {
		long now = System.currentTimeMillis() * 1_000_000L;
		int batches = totalSpans / BATCH;
		// requests are built ahead (in chunks, to bound the client's heap) so that building them is not timed
		ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort)
			.usePlaintext()
			.maxInboundMessageSize(64 << 20)
			.build();
		// warm-up: 50 batches, not counted
		send(channel, 0, 50, now);
		int chunk = 200;
		long wall = 0;
		long cpu = 0;
		for (int from = 50; from < 50 + batches; from += chunk) {
			int to = Math.min(50 + batches, from + chunk);
			List<byte[]> requests = new ArrayList<>();
			for (int b = from; b < to; b++) {
				requests.add(batch(b, now).toByteArray());
			}
			long cpu0 = cpuTicks(serverPid);
			long t0 = System.nanoTime();
			send(channel, requests);
			wall += System.nanoTime() - t0;
			cpu += cpuTicks(serverPid) - cpu0;
		}
		double wallSeconds = wall / 1e9;
		double cpuSeconds = cpu / 100.0; // USER_HZ
		long spans = (long) batches * BATCH;
		System.out.printf("ingest OTLP/gRPC: %,d spans (batches of %,d, 10 attributes) in %.2f s wall = %,.0f spans/s; "
				+ "server process %.2f CPU-s = %,.0f spans per server CPU-second%n", spans, BATCH, wallSeconds,
				spans / wallSeconds, cpuSeconds, spans / cpuSeconds);
		channel.shutdownNow();

		HttpClient http = HttpClient.newHttpClient();
		String base = "http://127.0.0.1:" + httpPort;
		// the store keeps the newest 1,000,000 spans (its default budget): the last 100,000 traces
		long lastTrace = (long) (50 + batches) * (BATCH / SPANS_PER_TRACE) - 1;
		Random random = new Random(7);
		int lookups = 2_000;
		long[] latencies = new long[lookups];
		for (int i = 0; i < lookups; i++) {
			long trace = lastTrace - random.nextInt((int) Math.min(90_000, lastTrace * 9 / 10));
			long t0 = System.nanoTime();
			HttpResponse<String> response = get(http, base + "/api/traces/" + traceHex(trace));
			latencies[i] = System.nanoTime() - t0;
			if (response.statusCode() != 200) {
				throw new IllegalStateException("trace " + traceHex(trace) + ": " + response.statusCode() + " " + response.body());
			}
		}
		report("trace by id (HTTP, 10 spans, OTLP JSON)", latencies);
		String stats = get(http, base + "/api/v1/query?query=vigil_telemetry_spans_received_total").body();
		System.out.println("server spans received (self-metric, may lag 15 s): " + stats.replaceAll(".*\"value\":", ""));
		for (String q : List.of("{ resource.service.name = \"vigil-payments\" && duration > 30ms && status = error }",
				"{ span.http.route = \"/api/checkout\" && duration > 400ms }", "{ span.user.id = \"u4242\" }",
				"{ name = \"payments.op3\" && span.retry = \"true\" && status = error }",
				"{ span.order.id = \"123\" }")) {
			int runs = 30;
			long[] times = new long[runs];
			String body = "";
			for (int i = 0; i < runs; i++) {
				long t0 = System.nanoTime();
				HttpResponse<String> response = get(http,
						base + "/api/search?limit=20&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8));
				times[i] = System.nanoTime() - t0;
				body = response.body();
				if (response.statusCode() != 200) {
					throw new IllegalStateException(q + ": " + body);
				}
			}
			int found = body.split("\"traceID\"", -1).length - 1;
			report("search " + q + " (" + found + " traces)", times);
		}
	}

	private static void report(String what, long[] latencies) {
		Arrays.sort(latencies);
		System.out.printf("%s: p50 %.2f ms, p90 %.2f ms, max %.2f ms (%d runs)%n", what,
				latencies[latencies.length / 2] / 1e6, latencies[latencies.length * 9 / 10] / 1e6,
				latencies[latencies.length - 1] / 1e6, latencies.length);
	}

	private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
	}

	/** utime + stime of a process, in clock ticks (man 5 proc). */
	private static long cpuTicks(long pid) throws Exception {
		String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
	}

	private static void send(ManagedChannel channel, int from, int to, long now) throws Exception {
		List<byte[]> requests = new ArrayList<>();
		for (int b = from; b < to; b++) {
			requests.add(batch(b, now).toByteArray());
		}
		send(channel, requests);
	}

	/** The export call with the request already encoded (encoding it is not what is measured, and costs the client). */
	private static final MethodDescriptor<byte[], ExportTraceServiceResponse> EXPORT = TraceServiceGrpc.getExportMethod()
		.toBuilder(RawBytesMarshaller.INSTANCE, ProtoUtils.marshaller(ExportTraceServiceResponse.getDefaultInstance()))
		.build();

	/** Sends with up to 4 requests in flight, as an SDK exporter with a few concurrent exports would. */
	private static void send(ManagedChannel channel, List<byte[]> requests) throws Exception {
		Semaphore inFlight = new Semaphore(4);
		AtomicReference<Throwable> failure = new AtomicReference<>();
		for (byte[] request : requests) {
			inFlight.acquire();
			if (failure.get() != null) {
				throw new IllegalStateException(failure.get());
			}
			ClientCalls.asyncUnaryCall(channel.newCall(EXPORT, CallOptions.DEFAULT), request, new StreamObserver<>() {

				@Override
				public void onNext(ExportTraceServiceResponse response) {
					if (response.hasPartialSuccess() && response.getPartialSuccess().getRejectedSpans() > 0) {
						failure.compareAndSet(null,
								new IllegalStateException(response.getPartialSuccess().getErrorMessage()));
					}
				}

				@Override
				public void onError(Throwable t) {
					failure.compareAndSet(null, t);
					inFlight.release();
				}

				@Override
				public void onCompleted() {
					inFlight.release();
				}

			});
		}
		inFlight.acquire(4);
		if (failure.get() != null) {
			throw new IllegalStateException(failure.get());
		}
	}

	// ---- memory mode -------------------------------------------------------------------------------------------

	private static void memory(int spans) {
		long now = System.currentTimeMillis() * 1_000_000L;
		System.gc();
		long before = usedHeap();
		TraceStore store = new TraceStore(new TraceStore.Config(spans, 6L * 3600 * 1_000_000_000L));
		for (int b = 0; b < spans / BATCH; b++) {
			store.append(batch(b, now).getResourceSpansList());
		}
		System.gc();
		System.gc();
		long heap = usedHeap() - before;
		System.out.printf("memory: %,d spans (10 attributes each), heap after GC %,d bytes = %,d bytes/span "
				+ "(store's own estimate %,d bytes/span)%n", store.spanCount(), heap, heap / store.spanCount(),
				store.estimatedBytes() / store.spanCount());
	}

	private static long usedHeap() {
		Runtime runtime = Runtime.getRuntime();
		return runtime.totalMemory() - runtime.freeMemory();
	}

}
