package dev.vigil.telemetry.receiver;

import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * A gRPC request marshaller that hands the service the message's bytes instead of a parsed protobuf object, for
 * receivers that decode the wire format themselves (span ingest walks it in place). One copy, from gRPC's buffers
 * into an array of the message's exact size. Clients that send pre-encoded requests (the benchmarks) use it too.
 */
public final class RawBytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {

	public static final RawBytesMarshaller INSTANCE = new RawBytesMarshaller();

	private RawBytesMarshaller() {
	}

	@Override
	public InputStream stream(byte[] value) {
		return new ByteArrayInputStream(value);
	}

	@Override
	public byte[] parse(InputStream stream) {
		try {
			if (stream instanceof KnownLength) {
				int size = stream.available();
				byte[] bytes = new byte[size];
				int read = stream.readNBytes(bytes, 0, size);
				if (read == size && stream.read() < 0) {
					return bytes;
				}
				throw new IOException("message shorter or longer than its announced " + size + " bytes");
			}
			return stream.readAllBytes(); // a decompressing stream: length unknown
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

}
