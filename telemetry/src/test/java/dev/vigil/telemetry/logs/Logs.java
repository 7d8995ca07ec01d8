package dev.vigil.telemetry.logs;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds OTLP logs as the receiver delivers them, and API parameters. */
final class Logs {

	/** The tests' fixed "now": 2023-11-14T22:13:20Z. */
	static final long NOW = 1_700_000_000_000_000_000L;

	static final long SECOND = 1_000_000_000L;

	private Logs() {
	}

	static ResourceLogs resource(Map<String, String> attributes, LogRecord... records) {
		Resource.Builder resource = Resource.newBuilder();
		attributes.forEach((key, value) -> resource.addAttributes(attribute(key, value)));
		return ResourceLogs.newBuilder()
			.setResource(resource)
			.addScopeLogs(ScopeLogs.newBuilder().addAllLogRecords(List.of(records)))
			.build();
	}

	static ResourceLogs service(String name, String environment, LogRecord... records) {
		Map<String, String> attributes = new LinkedHashMap<>();
		attributes.put("service.name", name);
		attributes.put("service.namespace", "shop");
		if (environment != null) {
			attributes.put("deployment.environment.name", environment);
		}
		attributes.put("service.instance.id", name + "-1");
		return resource(attributes, records);
	}

	static LogRecord.Builder record(long timeNanos, String severityText, String body) {
		return LogRecord.newBuilder()
			.setTimeUnixNano(timeNanos)
			.setSeverityText(severityText)
			.setBody(AnyValue.newBuilder().setStringValue(body));
	}

	static LogRecord traced(long timeNanos, String severityText, String body, String traceId, String spanId) {
		return record(timeNanos, severityText, body)
			.setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(traceId)))
			.setSpanId(ByteString.copyFrom(HexFormat.of().parseHex(spanId)))
			.build();
	}

	static KeyValue attribute(String key, String value) {
		return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
	}

	/** Parameters from alternating names and values. */
	static Map<String, List<String>> params(String... namesAndValues) {
		Map<String, List<String>> params = new LinkedHashMap<>();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			params.computeIfAbsent(namesAndValues[i], k -> new java.util.ArrayList<>()).add(namesAndValues[i + 1]);
		}
		return params;
	}

	static String seconds(long nanos) {
		return Long.toString(nanos / SECOND);
	}

}
