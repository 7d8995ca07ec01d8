package dev.vigil.platform.chaos;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Optional;

/** Applies faults to gRPC: LATENCY/ERROR/EXCEPTION on served calls, DEPENDENCY_FAILURE on outgoing ones. */
final class ChaosGrpcInterceptors {

	private ChaosGrpcInterceptors() {
	}

	static ServerInterceptor server(ChaosFaults faults) {
		return new ServerInterceptor() {
			@Override
			public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
					ServerCallHandler<Q, R> next) {
				String where = call.getMethodDescriptor().getFullMethodName();
				faults.strike(FaultType.LATENCY, null).ifPresent(fault -> {
					FaultEvents.injected(fault, where);
					ChaosFaults.delay(fault);
				});
				Optional<Fault> error = faults.strike(FaultType.ERROR, null);
				if (error.isPresent()) {
					FaultEvents.injected(error.get(), where);
					call.close(Status.UNAVAILABLE.withDescription("chaos experiment: injected error"), new Metadata());
					return new ServerCall.Listener<>() {
					};
				}
				Optional<Fault> exception = faults.strike(FaultType.EXCEPTION, null);
				if (exception.isPresent()) {
					FaultEvents.injected(exception.get(), where);
					call.close(Status.INTERNAL.withDescription("chaos experiment: injected exception"), new Metadata());
					return new ServerCall.Listener<>() {
					};
				}
				return next.startCall(call, headers);
			}
		};
	}

	static ClientInterceptor client(ChaosFaults faults) {
		return new ClientInterceptor() {
			@Override
			public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
				Optional<Fault> failure = faults.strike(FaultType.DEPENDENCY_FAILURE, method.getServiceName());
				if (failure.isEmpty()) {
					return next.newCall(method, options);
				}
				FaultEvents.injected(failure.get(), method.getFullMethodName());
				return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
					@Override
					public void start(Listener<R> listener, Metadata headers) {
						listener.onClose(Status.UNAVAILABLE.withDescription("chaos experiment: dependency "
								+ method.getServiceName() + " made unavailable"), new Metadata());
					}

					@Override
					public void sendMessage(Q message) {
						// the call is already closed
					}

					@Override
					public void halfClose() {
						// the call is already closed
					}

					@Override
					public void request(int count) {
						// the call is already closed
					}
				};
			}
		};
	}

}
