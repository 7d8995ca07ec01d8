package dev.vigil.platform.telemetry.testapp;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.api.trace.Span;

/**
 * A gRPC service without generated code (byte-array messages): {@code vigil.test.Echo/Say} echoes,
 * {@code Reject} fails with INVALID_ARGUMENT, {@code Collect} (client streaming) answers with the span id that was
 * current while each request message was handled, one per line.
 */
public final class EchoGrpc implements BindableService {

	public static final MethodDescriptor<byte[], byte[]> SAY = method("Say", MethodDescriptor.MethodType.UNARY);

	public static final MethodDescriptor<byte[], byte[]> REJECT = method("Reject", MethodDescriptor.MethodType.UNARY);

	public static final MethodDescriptor<byte[], byte[]> COLLECT = method("Collect",
			MethodDescriptor.MethodType.CLIENT_STREAMING);

	private static MethodDescriptor<byte[], byte[]> method(String name, MethodDescriptor.MethodType type) {
		return MethodDescriptor.<byte[], byte[]>newBuilder()
			.setType(type)
			.setFullMethodName(MethodDescriptor.generateFullMethodName("vigil.test.Echo", name))
			.setRequestMarshaller(new Bytes())
			.setResponseMarshaller(new Bytes())
			.build();
	}

	@Override
	public ServerServiceDefinition bindService() {
		return ServerServiceDefinition.builder("vigil.test.Echo")
			.addMethod(SAY, ServerCalls.asyncUnaryCall((request, observer) -> {
				observer.onNext(request);
				observer.onCompleted();
			}))
			.addMethod(REJECT, ServerCalls.asyncUnaryCall((request, observer) -> observer
				.onError(Status.INVALID_ARGUMENT.withDescription("rejected").asRuntimeException())))
			.addMethod(COLLECT, ServerCalls.asyncClientStreamingCall((observer) -> new StreamObserver<byte[]>() {
				private final StringBuilder seen = new StringBuilder();

				@Override
				public void onNext(byte[] message) {
					this.seen.append(Span.current().getSpanContext().getSpanId()).append('\n');
				}

				@Override
				public void onError(Throwable error) {
				}

				@Override
				public void onCompleted() {
					observer.onNext(this.seen.toString().getBytes(StandardCharsets.US_ASCII));
					observer.onCompleted();
				}
			}))
			.build();
	}

	static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {

		@Override
		public InputStream stream(byte[] value) {
			return new ByteArrayInputStream(value);
		}

		@Override
		public byte[] parse(InputStream stream) {
			try {
				return stream.readAllBytes();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
