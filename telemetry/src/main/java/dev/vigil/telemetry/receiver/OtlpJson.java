package dev.vigil.telemetry.receiver;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * OTLP/JSON per the OTLP spec's JSON mapping: protobuf JSON, except that trace and span ids are hex strings rather
 * than base64, and unknown fields are ignored. The ids are rewritten to base64 before the standard protobuf parser
 * runs.
 */
final class OtlpJson {

	private static final Set<String> ID_FIELDS = Set.of("traceId", "spanId", "parentSpanId", "trace_id", "span_id",
			"parent_span_id");

	private static final ObjectMapper MAPPER = JsonMapper.builder().build();

	private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

	private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

	private OtlpJson() {
	}

	static void merge(byte[] json, Message.Builder into) throws InvalidProtocolBufferException {
		JsonNode tree;
		try {
			tree = MAPPER.readTree(json);
		}
		catch (JacksonException e) {
			throw new InvalidProtocolBufferException("malformed JSON: " + e.getOriginalMessage());
		}
		if (tree == null || !tree.isObject()) {
			throw new InvalidProtocolBufferException("malformed JSON: the body must be a JSON object");
		}
		rewriteIds(tree);
		PARSER.merge(tree.toString(), into);
	}

	private static void rewriteIds(JsonNode node) throws InvalidProtocolBufferException {
		if (node.isObject()) {
			ObjectNode obj = (ObjectNode) node;
			for (Map.Entry<String, JsonNode> e : obj.properties()) {
				JsonNode v = e.getValue();
				if (ID_FIELDS.contains(e.getKey()) && v.isString()) {
					String hex = v.stringValue();
					byte[] bytes;
					try {
						bytes = HexFormat.of().parseHex(hex);
					}
					catch (IllegalArgumentException ex) {
						throw new InvalidProtocolBufferException(
								"field " + e.getKey() + " must be a hex string, got \"" + hex + "\"");
					}
					e.setValue(obj.stringNode(Base64.getEncoder().encodeToString(bytes)));
				}
				else {
					rewriteIds(v);
				}
			}
		}
		else if (node.isArray()) {
			for (JsonNode child : node) {
				rewriteIds(child);
			}
		}
	}

	static String print(Message m) {
		try {
			return PRINTER.print(m);
		}
		catch (InvalidProtocolBufferException e) {
			throw new IllegalStateException(e);
		}
	}

}
