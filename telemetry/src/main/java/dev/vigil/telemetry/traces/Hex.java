package dev.vigil.telemetry.traces;

import com.google.protobuf.ByteString;
import java.util.HexFormat;

/** Trace and span ids as lower-case hex, the form every API and log line uses. */
public final class Hex {

	private static final HexFormat HEX = HexFormat.of();

	private Hex() {
	}

	public static String of(ByteString bytes) {
		return HEX.formatHex(bytes.toByteArray());
	}

	public static String of(byte[] bytes, int offset, int length) {
		return HEX.formatHex(bytes, offset, offset + length);
	}

	/** A 128-bit trace id from its two big-endian halves. */
	public static String traceId(long high, long low) {
		return HEX.toHexDigits(high) + HEX.toHexDigits(low);
	}

	/** A 64-bit span id. */
	public static String spanId(long id) {
		return HEX.toHexDigits(id);
	}

	/** A valid 128-bit trace id: 32 hex digits (Tempo also accepts shorter ids, left-padded with zeros). */
	public static String normalizeTraceId(String id) {
		if (id == null || id.isEmpty() || id.length() > 32 || !id.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
			throw new IllegalArgumentException("trace id \"" + id + "\" is not 1 to 32 hex digits");
		}
		return "0".repeat(32 - id.length()) + id.toLowerCase();
	}

}
