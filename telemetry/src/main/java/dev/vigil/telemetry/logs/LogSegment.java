package dev.vigil.telemetry.logs;

/**
 * A fixed-size column chunk of log records in arrival order. Columns rather than one object per record keep the
 * per-record overhead to a few primitive slots plus one byte array (body and metadata, see {@link RecordCodec}).
 */
final class LogSegment {

	static final int CAPACITY = 4096;

	/** Global sequence number of slot 0; record seq {@code base + i} lives in slot i. */
	final long base;

	final long[] time = new long[CAPACITY];

	final int[] stream = new int[CAPACITY];

	final long[] traceHi = new long[CAPACITY];

	final long[] traceLo = new long[CAPACITY];

	final long[] spanId = new long[CAPACITY];

	final byte[] severity = new byte[CAPACITY];

	final byte[][] payload = new byte[CAPACITY][];

	int size;

	long minTime = Long.MAX_VALUE;

	long maxTime = Long.MIN_VALUE;

	LogSegment(long base) {
		this.base = base;
	}

	boolean full() {
		return size == CAPACITY;
	}

	/** Bytes of the columns per slot: what a record costs besides its payload array. */
	static final int COLUMN_BYTES = 8 + 4 + 8 + 8 + 8 + 1 + 4;

}
