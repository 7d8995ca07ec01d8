package dev.vigil.telemetry.traces;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** OTLP attribute lists to string maps: what search, labels and filters compare against. */
public final class AttributeValues {

	private AttributeValues() {
	}

	public static Map<String, String> toMap(List<KeyValue> attributes) {
		Map<String, String> map = new HashMap<>(Math.max(4, attributes.size() * 2));
		for (KeyValue attribute : attributes) {
			map.put(attribute.getKey(), text(attribute.getValue()));
		}
		return map;
	}

	public static String text(AnyValue value) {
		return switch (value.getValueCase()) {
			case STRING_VALUE -> value.getStringValue();
			case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
			case INT_VALUE -> Long.toString(value.getIntValue());
			case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
			case BYTES_VALUE -> Hex.of(value.getBytesValue());
			case ARRAY_VALUE -> value.getArrayValue().getValuesList().stream().map(AttributeValues::text).toList().toString();
			case KVLIST_VALUE -> toMap(value.getKvlistValue().getValuesList()).toString();
			default -> "";
		};
	}

}
