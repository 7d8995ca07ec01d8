package dev.vigil.telemetry.receiver;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.InsecureServerCredentials;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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
			.addService(metricsService(ingest))
			.addService(traceService(ingest))
			.addService(logsService(ingest))
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

	/** An export; may find the request malformed (when it decodes the bytes itself). */
	@FunctionalInterface
	private interface Export<T> {

		T run() throws InvalidProtocolBufferException;

	}

	private static <T> void handle(OtlpIngest ingest, StreamObserver<T> observer, Export<T> work) {
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
			response = work.run();
		}
		catch (InvalidProtocolBufferException e) {
			ingest.stats().requestsInvalid.increment();
			observer.onError(io.grpc.Status.INVALID_ARGUMENT
				.withDescription("cannot decode OTLP/protobuf request: " + e.getMessage())
				.asRuntimeException());
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
	 * All three services are registered with a raw-bytes request marshaller: metrics and spans are decoded in place
	 * ({@link OtlpIngest#exportMetrics(byte[], int, int)}, {@link OtlpIngest#exportTraces(byte[])}) instead of
	 * protobuf-java building a message per data point, span and attribute; logs are parsed in the handler. Either
	 * way a malformed request fails with INVALID_ARGUMENT and a message rather than inside gRPC.
	 */
	private static ServerServiceDefinition metricsService(OtlpIngest ingest) {
		return bytesService(ingest, MetricsServiceGrpc.getExportMethod(),
				ExportMetricsServiceResponse.getDefaultInstance(),
				request -> ingest.exportMetrics(request, 0, request.length));
	}

	private static ServerServiceDefinition traceService(OtlpIngest ingest) {
		return bytesService(ingest, TraceServiceGrpc.getExportMethod(), ExportTraceServiceResponse.getDefaultInstance(),
				ingest::exportTraces);
	}

	private static ServerServiceDefinition logsService(OtlpIngest ingest) {
		return bytesService(ingest, LogsServiceGrpc.getExportMethod(), ExportLogsServiceResponse.getDefaultInstance(),
				request -> ingest.exportLogs(ExportLogsServiceRequest.parseFrom(request)));
	}

	/** Exports a request given as its bytes. */
	@FunctionalInterface
	private interface BytesExport<R> {

		R export(byte[] request) throws InvalidProtocolBufferException;

	}

	private static <R extends Message> ServerServiceDefinition bytesService(OtlpIngest ingest,
			MethodDescriptor<?, R> method, R responseType, BytesExport<R> export) {
		MethodDescriptor<byte[], R> bytes = method
			.toBuilder(RawBytesMarshaller.INSTANCE, ProtoUtils.marshaller(responseType))
			.build();
		return ServerServiceDefinition.builder(method.getServiceName())
			.addMethod(bytes, ServerCalls.asyncUnaryCall(
					(request, observer) -> handle(ingest, observer, () -> export.export(request))))
			.build();
	}

}
