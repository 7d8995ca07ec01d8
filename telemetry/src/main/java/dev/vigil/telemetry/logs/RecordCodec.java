package dev.vigil.telemetry.logs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The per-record payload: {@code varint bodyLength, body UTF-8, varint pairs, (varint keyId [or 0 + inline key],
 * varint valueLength, value UTF-8)*}. Attribute names are interned in a dictionary so a record pays one or two bytes
 * per key; past {@link #MAX_KEYS} distinct names (hostile senders) keys are stored inline instead of growing the
 * dictionary without bound. Ingest threads encode concurrently: lookups are lock-free, additions synchronized, and
 * readers see a published array.
 */
final class RecordCodec {

	static final int MAX_KEYS = 65_536;

	private final Map<String, Integer> ids = new ConcurrentHashMap<>();

	/** Index = key id; slot 0 unused (means "inline"). Replaced, never mutated in place, so readers need no lock. */
	private volatile String[] names = new String[] { null };

	/** Encodes body and metadata pairs (names already sanitized). Thread-safe. */
	byte[] encode(String body, List<String> pairs) {
		Buf buf = new Buf(body.length() + 16 + pairs.size() * 12);
		byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
		buf.varint(bodyBytes.length);
		buf.bytes(bodyBytes);
		buf.varint(pairs.size() / 2);
		for (int i = 0; i < pairs.size(); i += 2) {
			int id = keyId(pairs.get(i));
			buf.varint(id);
			if (id == 0) {
				byte[] key = pairs.get(i).getBytes(StandardCharsets.UTF_8);
				buf.varint(key.length);
				buf.bytes(key);
			}
			byte[] value = pairs.get(i + 1).getBytes(StandardCharsets.UTF_8);
			buf.varint(value.length);
			buf.bytes(value);
		}
		return buf.toArray();
	}

	private int keyId(String key) {
		Integer id = ids.get(key);
		return id != null ? id : addKey(key);
	}

	private synchronized int addKey(String key) {
		Integer id = ids.get(key);
		if (id != null) {
			return id;
		}
		String[] current = names;
		if (current.length > MAX_KEYS) {
			return 0;
		}
		String[] grown = Arrays.copyOf(current, current.length + 1);
		grown[current.length] = key;
		ids.put(key, current.length);
		names = grown;
		return current.length;
	}

	/** Offset of the body's first byte. */
	static int bodyStart(byte[] payload) {
		int pos = 0;
		while ((payload[pos] & 0x80) != 0) {
			pos++;
		}
		return pos + 1;
	}

	static int bodyLength(byte[] payload) {
		return (int) readVarint(payload, 0);
	}

	static String line(byte[] payload) {
		return new String(payload, bodyStart(payload), bodyLength(payload), StandardCharsets.UTF_8);
	}

	/** Calls {@code action(name, value)} for each metadata pair. */
	void metadata(byte[] payload, BiConsumer<String, String> action) {
		String[] dict = names;
		int[] pos = { 0 };
		int bodyLength = (int) readVarint(payload, pos);
		pos[0] += bodyLength;
		int pairs = (int) readVarint(payload, pos);
		for (int p = 0; p < pairs; p++) {
			int id = (int) readVarint(payload, pos);
			String key;
			if (id == 0) {
				key = string(payload, pos);
			}
			else {
				key = dict[id];
			}
			action.accept(key, string(payload, pos));
		}
	}

	private static String string(byte[] payload, int[] pos) {
		int length = (int) readVarint(payload, pos);
		String text = new String(payload, pos[0], length, StandardCharsets.UTF_8);
		pos[0] += length;
		return text;
	}

	static long readVarint(byte[] payload, int offset) {
		return readVarint(payload, new int[] { offset });
	}

	static long readVarint(byte[] payload, int[] pos) {
		long value = 0;
		int shift = 0;
		while (true) {
			byte b = payload[pos[0]++];
			value |= (long) (b & 0x7f) << shift;
			if ((b & 0x80) == 0) {
				return value;
			}
			shift += 7;
		}
	}

	/** Names in the dictionary, for tests and memory accounting. */
	List<String> keys() {
		return new ArrayList<>(Arrays.asList(names).subList(1, names.length));
	}

	/** A growable byte buffer; ByteArrayOutputStream's synchronization is not needed here. */
	static final class Buf {

		private byte[] bytes;

		private int size;

		Buf(int capacity) {
			bytes = new byte[Math.max(16, capacity)];
		}

		void varint(long value) {
			ensure(10);
			while ((value & ~0x7fL) != 0) {
				bytes[size++] = (byte) ((value & 0x7f) | 0x80);
				value >>>= 7;
			}
			bytes[size++] = (byte) value;
		}

		void bytes(byte[] data) {
			ensure(data.length);
			System.arraycopy(data, 0, bytes, size, data.length);
			size += data.length;
		}

		private void ensure(int more) {
			if (size + more > bytes.length) {
				bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
			}
		}

		byte[] toArray() {
			return Arrays.copyOf(bytes, size);
		}

	}

}
