package dev.vigil.telemetry.otlp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cursor reads tags and skips fields as protobuf-java's CodedInputStream does, and fails where it fails. */
class ProtoCursorTest {

	/** The tags read and skipped, then "ok" or the error's message. */
	private static List<String> walkWithCursor(byte[] bytes) {
		List<String> out = new ArrayList<>();
		try {
			ProtoCursor c = new ProtoCursor(bytes, 0, bytes.length);
			while (c.hasMore()) {
				int tag = c.tag();
				out.add(Integer.toString(tag));
				c.skip(tag);
			}
			out.add("ok");
		}
		catch (InvalidProtocolBufferException e) {
			out.add(e.getMessage());
		}
		return out;
	}

	private static List<String> walkWithProtobuf(byte[] bytes) {
		List<String> out = new ArrayList<>();
		try {
			CodedInputStream in = CodedInputStream.newInstance(bytes);
			while (!in.isAtEnd()) {
				int tag = in.readTag();
				out.add(Integer.toString(tag));
				if (!in.skipField(tag)) { // an end-group tag outside a group: a message's parser then says so
					throw new InvalidProtocolBufferException(
							"Protocol message end-group tag did not match expected tag.");
				}
			}
			out.add("ok");
		}
		catch (IOException e) { // InvalidProtocolBufferException, an IOException in CodedInputStream's signatures
			out.add(e.getMessage());
		}
		return out;
	}

	private static byte[] varint(long v) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		while ((v & ~0x7fL) != 0) {
			out.write((int) (v & 0x7f) | 0x80);
			v >>>= 7;
		}
		out.write((int) v);
		return out.toByteArray();
	}

	private static byte[] bytes(Object... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (Object p : parts) {
			if (p instanceof byte[] b) {
				out.writeBytes(b);
			}
			else {
				out.write((Integer) p);
			}
		}
		return out.toByteArray();
	}

	private static void assertLikeProtobuf(byte[] bytes) {
		assertThat(walkWithCursor(bytes)).isEqualTo(walkWithProtobuf(bytes));
	}

	@Test
	void shouldReadAndSkipWellFormedFieldsOfEveryWireType() {
		byte[] bytes = bytes(varint(1 << 3 | 0), varint(300), varint(2 << 3 | 1), new byte[8], varint(3 << 3 | 2),
				varint(3), new byte[3], varint(4 << 3 | 5), new byte[4],
				// a group with a nested group inside
				varint(5 << 3 | 3), varint(1 << 3 | 0), 7, varint(6 << 3 | 3), varint(6 << 3 | 4), varint(5 << 3 | 4),
				// a tag and a length whose varints carry bits beyond 32: both read as their low 32 bits
				varint(7 << 3 | 2 | 1L << 40), varint(2 | 1L << 33), new byte[2]);
		assertThat(walkWithCursor(bytes)).last().isEqualTo("ok");
		assertLikeProtobuf(bytes);
	}

	@Test
	void shouldFailWhereProtobufFailsWithItsMessage() {
		assertLikeProtobuf(bytes(varint(0 << 3 | 0), 1)); // field number zero
		assertLikeProtobuf(bytes(varint(1 << 3 | 2), varint(5), 1, 2)); // a length past the end
		assertLikeProtobuf(bytes(varint(1 << 3 | 1), new byte[7])); // a fixed64 cut short
		assertLikeProtobuf(bytes(varint(1 << 3 | 5), new byte[3])); // a fixed32 cut short
		assertLikeProtobuf(bytes(varint(1 << 3 | 0), 0x80)); // a varint cut short
		// a varint of 11 bytes
		assertLikeProtobuf(bytes(varint(1 << 3 | 0), new byte[] { -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1 }));
		assertLikeProtobuf(bytes(varint(1 << 3 | 2), varint(0xFFFF_FFF0L))); // a negative length
		assertLikeProtobuf(bytes(varint(1 << 3 | 6), 0)); // wire types 6 and 7 do not exist
		assertLikeProtobuf(bytes(varint(1 << 3 | 7), 0));
		assertLikeProtobuf(bytes(varint(1 << 3 | 4))); // an end-group tag outside a group
		assertLikeProtobuf(bytes(varint(1 << 3 | 3), varint(2 << 3 | 0), 1)); // a group never ended
		assertLikeProtobuf(bytes(varint(1 << 3 | 3), varint(2 << 3 | 4))); // a group ended by another field's tag
	}

	@Test
	void shouldNarrowToANestedMessageAndMovePastIt() throws Exception {
		byte[] bytes = bytes(varint(1 << 3 | 2), varint(2), varint(1 << 3 | 0), 5, varint(2 << 3 | 0), 9);
		ProtoCursor c = new ProtoCursor(bytes, 0, bytes.length);
		assertThat(c.tag()).isEqualTo(1 << 3 | 2);
		int saved = c.enter(c.lengthEnd());
		assertThat(c.tag()).isEqualTo(1 << 3 | 0);
		assertThat(c.hasMore()).isTrue();
		assertThat(c.varint()).isEqualTo(5);
		assertThat(c.hasMore()).isFalse();
		c.leave(saved);
		assertThat(c.tag()).isEqualTo(2 << 3 | 0);
		assertThat(c.varint()).isEqualTo(9);
		assertThat(c.hasMore()).isFalse();
	}

}
