package dev.vigil.platform.telemetry;

import java.nio.charset.StandardCharsets;

import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Reads and writes W3C trace context ({@code traceparent}, {@code tracestate}) as Kafka record headers. */
final class KafkaHeaders {

	static final TextMapSetter<Headers> SETTER = (headers, key, value) -> {
		if (headers != null) {
			headers.remove(key); // a retried or re-sent record must carry one traceparent, not two
			headers.add(key, value.getBytes(StandardCharsets.UTF_8));
		}
	};

	static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {

		@Override
		public Iterable<String> keys(Headers headers) {
			java.util.List<String> keys = new java.util.ArrayList<>();
			for (Header header : headers) {
				keys.add(header.key());
			}
			return keys;
		}

		@Override
		public String get(Headers headers, String key) {
			if (headers == null) {
				return null;
			}
			Header header = headers.lastHeader(key);
			return (header != null && header.value() != null) ? new String(header.value(), StandardCharsets.UTF_8)
					: null;
		}

	};

	private KafkaHeaders() {
	}

}
