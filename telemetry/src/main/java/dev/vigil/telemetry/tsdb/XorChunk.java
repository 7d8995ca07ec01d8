package dev.vigil.telemetry.tsdb;

import java.util.Arrays;

/**
 * Gorilla-style chunk: timestamps as delta-of-delta with variable bit buckets, values XORed against the previous
 * value with leading/trailing zero elision (Pelkonen et al., VLDB 2015; same layout ideas as Prometheus chunkenc).
 * Not thread-safe; the owning series synchronises.
 */
final class XorChunk {

	private static final java.lang.invoke.VarHandle BIG_ENDIAN_LONG = java.lang.invoke.MethodHandles
		.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);

	private byte[] buf = new byte[32];
	private long bitLen;
	private int count;
	private long minT;
	private long maxT;
	private long tDelta;
	private double lastV;
	private int leading = 0xff;
	private int trailing;

	int count() {
		return count;
	}

	long minT() {
		return minT;
	}

	long maxT() {
		return maxT;
	}

	/** Approximate heap footprint, used for the memory budget. */
	long bytes() {
		return buf.length + 64;
	}

	long encodedBytes() {
		return (bitLen + 7) / 8;
	}

	/** Trims the backing array once the chunk is full and will not grow again. */
	void seal() {
		int n = (int) ((bitLen + 7) / 8);
		if (n < buf.length) {
			buf = Arrays.copyOf(buf, n);
		}
	}

	byte[] data() {
		return Arrays.copyOf(buf, (int) ((bitLen + 7) / 8));
	}

	void append(long t, double v) {
		if (count == 0) {
			writeBits(t, 64);
			writeBits(Double.doubleToRawLongBits(v), 64);
			minT = t;
		}
		else if (count == 1) {
			tDelta = t - maxT;
			writeVarLong(tDelta);
			writeValue(v);
		}
		else {
			long delta = t - maxT;
			long dod = delta - tDelta;
			if (dod == 0) {
				writeBits(0, 1);
			}
			else if (fits(dod, 14)) {
				writeBits(0b10, 2);
				writeBits(dod, 14);
			}
			else if (fits(dod, 17)) {
				writeBits(0b110, 3);
				writeBits(dod, 17);
			}
			else if (fits(dod, 20)) {
				writeBits(0b1110, 4);
				writeBits(dod, 20);
			}
			else {
				writeBits(0b1111, 4);
				writeBits(dod, 64);
			}
			tDelta = delta;
			writeValue(v);
		}
		maxT = t;
		lastV = v;
		count++;
	}

	private static boolean fits(long x, int bits) {
		return -(1L << (bits - 1)) + 1 <= x && x <= (1L << (bits - 1));
	}

	private void writeValue(double v) {
		long delta = Double.doubleToRawLongBits(v) ^ Double.doubleToRawLongBits(lastV);
		if (delta == 0) {
			writeBits(0, 1);
			return;
		}
		writeBits(1, 1);
		int lead = Long.numberOfLeadingZeros(delta);
		int trail = Long.numberOfTrailingZeros(delta);
		if (lead >= 32) {
			lead = 31;
		}
		if (leading != 0xff && lead >= leading && trail >= trailing) {
			writeBits(0, 1);
			writeBits(delta >>> trailing, 64 - leading - trailing);
			return;
		}
		leading = lead;
		trailing = trail;
		writeBits(1, 1);
		writeBits(lead, 5);
		int sig = 64 - lead - trail;
		// 64 significant bits do not fit in 6 bits; 0 stands for 64 (no XOR delta is all zero here)
		writeBits(sig == 64 ? 0 : sig, 6);
		writeBits(delta >>> trail, sig);
	}

	private void writeVarLong(long x) {
		long u = (x << 1) ^ (x >> 63);
		while ((u & ~0x7FL) != 0) {
			writeBits((u & 0x7F) | 0x80, 8);
			u >>>= 7;
		}
		writeBits(u, 8);
	}

	private void writeBits(long value, int n) {
		int at = (int) (bitLen >>> 3);
		int shift = (int) (bitLen & 7);
		if (shift + n <= 64) {
			// appends are on the ingest hot path: OR the bits into one big-endian 8-byte word (the bytes after the
			// write position are still zero) instead of a byte at a time
			if (at + 8 > buf.length) {
				buf = Arrays.copyOf(buf, Math.max(buf.length * 2, at + 8));
			}
			long bits = n == 64 ? value : value & ((1L << n) - 1);
			if (n > 0) {
				BIG_ENDIAN_LONG.set(buf, at, (long) BIG_ENDIAN_LONG.get(buf, at) | (bits << (64 - n - shift)));
			}
			bitLen += n;
			return;
		}
		while (n > 0) {
			int byteIdx = (int) (bitLen >>> 3);
			if (byteIdx >= buf.length) {
				buf = Arrays.copyOf(buf, buf.length * 2);
			}
			int bitOff = (int) (bitLen & 7);
			int avail = 8 - bitOff;
			int take = Math.min(avail, n);
			int bits = (int) ((value >>> (n - take)) & ((1 << take) - 1));
			buf[byteIdx] |= (byte) (bits << (avail - take));
			bitLen += take;
			n -= take;
		}
	}

	/** Decodes all samples into the given sink, in time order. */
	void decode(SampleSink sink) {
		decode(buf, count, sink);
	}

	static void decode(byte[] data, int count, SampleSink sink) {
		Reader r = new Reader(data);
		long t = 0;
		long delta = 0;
		long vbits = 0;
		int lead = 0;
		int trail = 0;
		for (int i = 0; i < count; i++) {
			if (i == 0) {
				t = r.read(64);
				vbits = r.read(64);
			}
			else {
				if (i == 1) {
					delta = r.readVarLong();
				}
				else {
					int prefix = 0;
					int len = 0;
					while (len < 4 && r.read(1) == 1) {
						len++;
					}
					prefix = len;
					long dod = switch (prefix) {
						case 0 -> 0;
						case 1 -> signExtend(r.read(14), 14);
						case 2 -> signExtend(r.read(17), 17);
						case 3 -> signExtend(r.read(20), 20);
						default -> r.read(64);
					};
					delta += dod;
				}
				t += delta;
				if (r.read(1) == 1) {
					if (r.read(1) == 1) {
						lead = (int) r.read(5);
						int sig = (int) r.read(6);
						if (sig == 0) {
							sig = 64;
						}
						trail = 64 - lead - sig;
					}
					int sig = 64 - lead - trail;
					vbits ^= r.read(sig) << trail;
				}
			}
			sink.accept(t, Double.longBitsToDouble(vbits));
		}
	}

	private static long signExtend(long v, int bits) {
		// values are stored in two's complement of 'bits' width; the range is (-2^(b-1), 2^(b-1)]
		if (v > (1L << (bits - 1))) {
			v -= 1L << bits;
		}
		return v;
	}

	/** Receives decoded samples. */
	interface SampleSink {

		void accept(long t, double v);

	}

	private static final class Reader {


		private final byte[] data;
		private long pos;

		Reader(byte[] data) {
			this.data = data;
		}

		// one big-endian 8-byte load when the bits lie within it, else byte-at-a-time: decoding is on every query's
		// path
		long read(int n) {
			int byteIdx = (int) (pos >>> 3);
			int shift = (int) (pos & 7);
			if (n > 0 && shift + n <= 64 && byteIdx + 8 <= data.length) {
				long word = (long) BIG_ENDIAN_LONG.get(data, byteIdx);
				pos += n;
				return (word << shift) >>> (64 - n);
			}
			long v = 0;
			while (n > 0) {
				int bitOff = (int) (pos & 7);
				int avail = 8 - bitOff;
				int take = Math.min(avail, n);
				int b = data[(int) (pos >>> 3)] & 0xff;
				int bits = (b >>> (avail - take)) & ((1 << take) - 1);
				v = (v << take) | bits;
				pos += take;
				n -= take;
			}
			return v;
		}

		long readVarLong() {
			long u = 0;
			int shift = 0;
			while (true) {
				long b = read(8);
				u |= (b & 0x7F) << shift;
				if ((b & 0x80) == 0) {
					break;
				}
				shift += 7;
			}
			return (u >>> 1) ^ -(u & 1);
		}

	}

}
