package dev.vigil.telemetry.receiver;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.InsecureServerCredentials;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** OTLP/gRPC on port 4317: the metrics, trace and logs services. */
public final class OtlpGrpcReceiver implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(OtlpGrpcReceiver.class);

	private final Server server;
	private final ExecutorService executor;

	private OtlpGrpcReceiver(Server server, ExecutorService executor) {
		this.server = server;
		this.executor = executor;
	}

	/**
	 * Starts listening.
	 * @param maxMessageBytes largest accepted (decompressed) request; larger ones fail with RESOURCE_EXHAUSTED
	 * @param threads request-processing threads
	 */
	public static OtlpGrpcReceiver start(String host, int port, OtlpIngest ingest, int maxMessageBytes, int threads)
			throws IOException {
		ExecutorService executor = Executors.newFixedThreadPool(threads, r -> {
			Thread t = new Thread(r, "otlp-grpc");
			t.setDaemon(true);
			return t;
		});
		Server server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port),
				InsecureServerCredentials.create())
			.executor(executor)
			.maxInboundMessageSize(maxMessageBytes)
			.addService(MetricsService.definition(ingest))
			.addService(new TraceService(ingest))
			.addService(new LogsService(ingest))
			.build()
			.start();
		log.info("OTLP/gRPC receiver listening on {}:{}", host, server.getPort());
		return new OtlpGrpcReceiver(server, executor);
	}

	public int port() {
		return server.getPort();
	}

	@Override
	public void close() throws InterruptedException {
		server.shutdown();
		if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
			server.shutdownNow();
		}
		executor.shutdownNow();
	}

	private static <T> void handle(OtlpIngest ingest, StreamObserver<T> observer, Supplier<T> work) {
		if (!ingest.limiter().tryAcquire()) {
			ingest.stats().requestsThrottled.increment();
			// RetryInfo makes RESOURCE_EXHAUSTED retryable for OTLP exporters (OTLP spec, "Failures")
			com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
				.setCode(Code.RESOURCE_EXHAUSTED_VALUE)
				.setMessage("ingest queue full (" + ingest.limiter().capacity() + " requests in flight); retry later")
				.addDetails(Any.pack(RetryInfo.newBuilder().setRetryDelay(Duration.newBuilder().setSeconds(1)).build()))
				.build();
			observer.onError(StatusProto.toStatusRuntimeException(status));
			return;
		}
		T response;
		try {
			response = work.get();
		}
		catch (OtlpIngest.MalformedRequest e) {
			observer.onError(io.grpc.Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
			return;
		}
		catch (RuntimeException e) {
			log.warn("OTLP/gRPC export failed", e);
			observer.onError(io.grpc.Status.INTERNAL.withDescription("export failed: " + e.getMessage())
				.asRuntimeException());
			return;
		}
		finally {
			ingest.limiter().release();
		}
		observer.onNext(response);
		observer.onCompleted();
	}

	/**
	 * MetricsService/Export with the request left serialized: the translator walks the bytes itself instead of
	 * protobuf-java building a message per data point and attribute (see MetricsTranslator#translate(byte[]...)).
	 */
	private static final class MetricsService {

		static ServerServiceDefinition definition(OtlpIngest ingest) {
			MethodDescriptor<ExportMetricsServiceRequest, ExportMetricsServiceResponse> generated = MetricsServiceGrpc
				.getExportMethod();
			MethodDescriptor<byte[], ExportMetricsServiceResponse> export = generated
				.toBuilder(new SerializedRequest(), generated.getResponseMarshaller())
				.build();
			return ServerServiceDefinition.builder(MetricsServiceGrpc.SERVICE_NAME)
				.addMethod(export, ServerCalls.asyncUnaryCall((byte[] request,
						StreamObserver<ExportMetricsServiceResponse> observer) -> handle(ingest, observer,
								() -> ingest.exportMetrics(request, 0, request.length))))
				.build();
		}

	}

	/** A request message as its bytes, read once from gRPC's buffers. */
	private static final class SerializedRequest implements MethodDescriptor.Marshaller<byte[]> {

		@Override
		public InputStream stream(byte[] value) {
			return new ByteArrayInputStream(value);
		}

		@Override
		public byte[] parse(InputStream stream) {
			try (stream) {
				// gRPC's own streams know their length: one copy into an array of the right size
				byte[] known = new byte[stream instanceof KnownLength ? stream.available() : 0];
				int n = stream.readNBytes(known, 0, known.length);
				byte[] rest = stream.readAllBytes();
				if (rest.length == 0) {
					return n == known.length ? known : Arrays.copyOf(known, n);
				}
				byte[] all = Arrays.copyOf(known, n + rest.length);
				System.arraycopy(rest, 0, all, n, rest.length);
				return all;
			}
			catch (IOException e) {
				throw io.grpc.Status.INTERNAL.withDescription("cannot read the request: " + e.getMessage())
					.withCause(e)
					.asRuntimeException();
			}
		}

	}

	private static final class TraceService extends TraceServiceGrpc.TraceServiceImplBase {

		private final OtlpIngest ingest;

		TraceService(OtlpIngest ingest) {
			this.ingest = ingest;
		}

		@Override
		public void export(ExportTraceServiceRequest request,
				StreamObserver<ExportTraceServiceResponse> responseObserver) {
			handle(ingest, responseObserver, () -> ingest.exportTraces(request));
		}

	}

	private static final class LogsService extends LogsServiceGrpc.LogsServiceImplBase {

		private final OtlpIngest ingest;

		LogsService(OtlpIngest ingest) {
			this.ingest = ingest;
		}

		@Override
		public void export(ExportLogsServiceRequest request,
				StreamObserver<ExportLogsServiceResponse> responseObserver) {
			handle(ingest, responseObserver, () -> ingest.exportLogs(request));
		}

	}

}
