package dev.vigil.platform.telemetry;

import io.grpc.Status;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.binder.grpc.GrpcClientObservationContext;
import io.micrometer.core.instrument.binder.grpc.GrpcClientObservationConvention;
import io.micrometer.core.instrument.binder.grpc.GrpcServerObservationContext;
import io.micrometer.core.instrument.binder.grpc.GrpcServerObservationConvention;

/**
 * Names the gRPC observations (made by {@link GrpcObservationInterceptors}, with Micrometer's gRPC observation
 * contexts) after the OpenTelemetry RPC
 * semantic conventions: metrics {@code rpc.server.duration} / {@code rpc.client.duration}, span name
 * {@code package.Service/Method}, attributes {@code rpc.system=grpc}, {@code rpc.service}, {@code rpc.method},
 * {@code rpc.grpc.status_code} (the numeric code, as the conventions require). Micrometer's defaults
 * ({@code grpc.server}, {@code grpc.status_code=OK}) would not match the dashboards and SLO rules.
 */
final class GrpcSemconv {

	static final String SYSTEM = "rpc.system";

	static final String SERVICE = "rpc.service";

	static final String METHOD = "rpc.method";

	static final String STATUS_CODE = "rpc.grpc.status_code";

	private GrpcSemconv() {
	}

	static KeyValues lowCardinality(String service, String method, Status.Code code) {
		// An unfinished or cancelled call has no status yet: report UNKNOWN (2) rather than dropping the tag, so every
		// series of the metric has the same label set.
		int value = (code != null) ? code.value() : Status.Code.UNKNOWN.value();
		return KeyValues.of(KeyValue.of(SYSTEM, "grpc"), KeyValue.of(SERVICE, nonNull(service)),
				KeyValue.of(METHOD, nonNull(method)), KeyValue.of(STATUS_CODE, Integer.toString(value)));
	}

	static KeyValues peer(String address, Integer port) {
		KeyValues values = KeyValues.empty();
		if (address != null) {
			values = values.and("network.peer.address", address);
		}
		if (port != null) {
			values = values.and("network.peer.port", port.toString());
		}
		return values;
	}

	private static String nonNull(String value) {
		return (value != null) ? value : "unknown";
	}

	static final class Server implements GrpcServerObservationConvention {

		@Override
		public String getName() {
			return "rpc.server.duration";
		}

		@Override
		public String getContextualName(GrpcServerObservationContext context) {
			return context.getFullMethodName();
		}

		@Override
		public KeyValues getLowCardinalityKeyValues(GrpcServerObservationContext context) {
			return lowCardinality(context.getServiceName(), context.getMethodName(), context.getStatusCode());
		}

		@Override
		public KeyValues getHighCardinalityKeyValues(GrpcServerObservationContext context) {
			return peer(context.getPeerName(), context.getPeerPort());
		}

	}

	static final class Client implements GrpcClientObservationConvention {

		@Override
		public String getName() {
			return "rpc.client.duration";
		}

		@Override
		public String getContextualName(GrpcClientObservationContext context) {
			return context.getFullMethodName();
		}

		@Override
		public KeyValues getLowCardinalityKeyValues(GrpcClientObservationContext context) {
			return lowCardinality(context.getServiceName(), context.getMethodName(), context.getStatusCode());
		}

		@Override
		public KeyValues getHighCardinalityKeyValues(GrpcClientObservationContext context) {
			KeyValues values = peer(context.getPeerName(), context.getPeerPort());
			return (context.getAuthority() != null) ? values.and("server.address", context.getAuthority()) : values;
		}

	}

}
