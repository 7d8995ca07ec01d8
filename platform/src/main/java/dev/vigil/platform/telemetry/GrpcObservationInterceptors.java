package dev.vigil.platform.telemetry;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import io.micrometer.core.instrument.binder.grpc.DefaultGrpcClientObservationConvention;
import io.micrometer.core.instrument.binder.grpc.DefaultGrpcServerObservationConvention;
import io.micrometer.core.instrument.binder.grpc.GrpcClientObservationContext;
import io.micrometer.core.instrument.binder.grpc.GrpcClientObservationConvention;
import io.micrometer.core.instrument.binder.grpc.GrpcObservationDocumentation;
import io.micrometer.core.instrument.binder.grpc.GrpcServerObservationContext;
import io.micrometer.core.instrument.binder.grpc.GrpcServerObservationConvention;
import io.micrometer.core.instrument.binder.grpc.ObservationGrpcClientInterceptor;
import io.micrometer.core.instrument.binder.grpc.ObservationGrpcServerInterceptor;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

/**
 * gRPC observations as Micrometer's {@link ObservationGrpcServerInterceptor} and {@link ObservationGrpcClientInterceptor}
 * make them — same context types, same convention ({@link GrpcSemconv}), so the same span, parent, W3C propagation,
 * {@code rpc.server.duration} / {@code rpc.client.duration} and error recording — without what every call paid for and
 * nothing reads (bench/overhead, JFR: {@code TracingObservationHandler.onEvent} among the hottest frames of orders):
 * <ul>
 * <li>no observation event per message: Micrometer adds a {@code sent}/{@code received} span event to both spans of a
 * unary call (four per call) and a counter lookup for each in the meter handler;</li>
 * <li>a scope only where application code runs: the server's {@code startCall} (interceptors such as the chaos faults),
 * {@code onHalfClose} (where a unary or server-streaming method runs), {@code onMessage} of client- or bidi-streaming
 * methods and {@code onCancel}. Micrometer opens one per listener callback and around the client's start, send and
 * half-close as well, each a context switch and an MDC update;</li>
 * <li>no copies of the headers and trailers into the context ({@code GrpcSemconv} reads neither); the peer of a server
 * call is the transport's remote address (the caller, as the conventions mean it), not the parsed authority.</li>
 * </ul>
 * They subclass Micrometer's interceptors so that Spring Boot's gRPC observation auto-configuration, which backs off
 * when such a bean exists, does not register its own as well.
 */
final class GrpcObservationInterceptors {

	private static final Map<String, Metadata.Key<String>> KEYS = new ConcurrentHashMap<>();

	private GrpcObservationInterceptors() {
	}

	private static Metadata.Key<String> key(String name) {
		return KEYS.computeIfAbsent(name, (n) -> Metadata.Key.of(n, Metadata.ASCII_STRING_MARSHALLER));
	}

	/** Served calls: a SERVER span continuing the caller's trace, and {@code rpc.server.duration}. */
	static final class Server extends ObservationGrpcServerInterceptor {

		private static final GrpcServerObservationConvention DEFAULT = new DefaultGrpcServerObservationConvention();

		private final ObservationRegistry registry;

		private GrpcServerObservationConvention convention;

		Server(ObservationRegistry registry, GrpcServerObservationConvention convention) {
			super(registry);
			this.registry = registry;
			this.convention = convention;
		}

		@Override
		public void setCustomConvention(GrpcServerObservationConvention convention) {
			this.convention = convention;
		}

		@Override
		public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
				ServerCallHandler<Q, R> next) {
			Observation observation = GrpcObservationDocumentation.SERVER
				.observation(this.convention, DEFAULT, () -> context(call, headers), this.registry)
				.start();
			if (observation.isNoop()) {
				return next.startCall(call, headers);
			}
			try (Observation.Scope scope = observation.openScope()) {
				return new ObservedListener<>(next.startCall(new ObservedCall<>(call, observation), headers),
						observation, call.getMethodDescriptor().getType().clientSendsOneMessage());
			}
			catch (RuntimeException ex) {
				observation.error(ex);
				observation.stop();
				throw ex;
			}
		}

		private static GrpcServerObservationContext context(ServerCall<?, ?> call, Metadata headers) {
			GrpcServerObservationContext context = new GrpcServerObservationContext(
					(carrier, name) -> carrier.get(key(name)));
			context.setCarrier(headers);
			MethodDescriptor<?, ?> method = call.getMethodDescriptor();
			context.setServiceName(method.getServiceName());
			context.setMethodName(method.getBareMethodName());
			context.setFullMethodName(method.getFullMethodName());
			context.setMethodType(method.getType());
			context.setAuthority(call.getAuthority());
			SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
			if (remote instanceof InetSocketAddress address) {
				context.setPeerName(address.getHostString());
				context.setPeerPort(address.getPort());
			}
			return context;
		}

	}

	/** Outgoing calls: a CLIENT span whose context goes out in the call's metadata, and {@code rpc.client.duration}. */
	static final class Client extends ObservationGrpcClientInterceptor {

		private static final GrpcClientObservationConvention DEFAULT = new DefaultGrpcClientObservationConvention();

		private final ObservationRegistry registry;

		private GrpcClientObservationConvention convention;

		Client(ObservationRegistry registry, GrpcClientObservationConvention convention) {
			super(registry);
			this.registry = registry;
			this.convention = convention;
		}

		@Override
		public void setCustomConvention(GrpcClientObservationConvention convention) {
			this.convention = convention;
		}

		@Override
		public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
			// Created here, on the caller's thread, so that its parent is the caller's current observation.
			Observation observation = GrpcObservationDocumentation.CLIENT.observation(this.convention, DEFAULT,
					() -> context(method, next), this.registry);
			if (observation.isNoop()) {
				return next.newCall(method, options);
			}
			return new ObservedClientCall<>(next.newCall(method, options), observation);
		}

		private static GrpcClientObservationContext context(MethodDescriptor<?, ?> method, Channel channel) {
			GrpcClientObservationContext context = new GrpcClientObservationContext((carrier, name, value) -> {
				Metadata.Key<String> key = key(name);
				carrier.removeAll(key);
				carrier.put(key, value);
			});
			context.setServiceName(method.getServiceName());
			context.setMethodName(method.getBareMethodName());
			context.setFullMethodName(method.getFullMethodName());
			context.setMethodType(method.getType());
			String authority = channel.authority();
			context.setAuthority(authority);
			int colon = (authority != null) ? authority.lastIndexOf(':') : -1;
			if (colon > 0 && colon > authority.lastIndexOf(']')) {
				context.setPeerName(authority.substring(0, colon));
				try {
					context.setPeerPort(Integer.valueOf(authority.substring(colon + 1)));
				}
				catch (NumberFormatException ex) {
					// not a port: leave network.peer.port out
				}
			}
			return context;
		}

	}

	private static final class ObservedCall<Q, R> extends SimpleForwardingServerCall<Q, R> {

		private final Observation observation;

		ObservedCall(ServerCall<Q, R> call, Observation observation) {
			super(call);
			this.observation = observation;
		}

		@Override
		public void close(Status status, Metadata trailers) {
			if (status.getCause() != null) {
				this.observation.error(status.getCause());
			}
			GrpcServerObservationContext context = (GrpcServerObservationContext) this.observation.getContext();
			context.setStatusCode(status.getCode());
			context.setCancelled(isCancelled());
			super.close(status, trailers);
		}

	}

	private static final class ObservedListener<Q> extends SimpleForwardingServerCallListener<Q> {

		private final Observation observation;

		private final boolean oneRequest;

		ObservedListener(ServerCall.Listener<Q> listener, Observation observation, boolean oneRequest) {
			super(listener);
			this.observation = observation;
			this.oneRequest = oneRequest;
		}

		@Override
		public void onMessage(Q message) {
			if (this.oneRequest) {
				// gRPC's unary and server-streaming handlers only keep the request here; the method runs on half-close.
				super.onMessage(message);
				return;
			}
			try (Observation.Scope scope = this.observation.openScope()) {
				super.onMessage(message);
			}
		}

		@Override
		public void onHalfClose() {
			try (Observation.Scope scope = this.observation.openScope()) {
				super.onHalfClose();
			}
		}

		@Override
		public void onCancel() {
			((GrpcServerObservationContext) this.observation.getContext()).setCancelled(true);
			try (Observation.Scope scope = this.observation.openScope()) {
				super.onCancel();
			}
			catch (RuntimeException ex) {
				this.observation.error(ex);
				throw ex;
			}
			finally {
				this.observation.stop();
			}
		}

		@Override
		public void onComplete() {
			try {
				super.onComplete();
			}
			catch (RuntimeException ex) {
				this.observation.error(ex);
				throw ex;
			}
			finally {
				this.observation.stop();
			}
		}

	}

	private static final class ObservedClientCall<Q, R> extends SimpleForwardingClientCall<Q, R> {

		private final Observation observation;

		ObservedClientCall(ClientCall<Q, R> call, Observation observation) {
			super(call);
			this.observation = observation;
		}

		@Override
		public void start(Listener<R> listener, Metadata headers) {
			// Starting the observation writes traceparent into the headers (the context's carrier).
			((GrpcClientObservationContext) this.observation.getContext()).setCarrier(headers);
			this.observation.start();
			try {
				super.start(new ObservedClientListener<>(listener, this.observation), headers);
			}
			catch (RuntimeException ex) {
				fail(ex);
				throw ex;
			}
		}

		@Override
		public void halfClose() {
			try {
				super.halfClose();
			}
			catch (RuntimeException ex) {
				fail(ex);
				throw ex;
			}
		}

		private void fail(RuntimeException ex) {
			this.observation.error(ex);
			this.observation.stop();
		}

	}

	private static final class ObservedClientListener<R> extends SimpleForwardingClientCallListener<R> {

		private final Observation observation;

		ObservedClientListener(ClientCall.Listener<R> listener, Observation observation) {
			super(listener);
			this.observation = observation;
		}

		@Override
		public void onClose(Status status, Metadata trailers) {
			((GrpcClientObservationContext) this.observation.getContext()).setStatusCode(status.getCode());
			if (status.getCause() != null && status.getCode() != Status.Code.OK
					&& status.getCode() != Status.Code.CANCELLED) {
				this.observation.error(status.getCause());
			}
			this.observation.stop();
			super.onClose(status, trailers);
		}

	}

}
