package dev.vigil.telemetry.tsdb;

/**
 * The staleness marker: a NaN with a specific bit pattern that Prometheus writes when a series disappears. It must be
 * compared by bits, as every NaN compares unequal to itself.
 */
public final class StaleNaN {

	/** Bit pattern of the marker, as in Prometheus {@code value.StaleNaN}. */
	public static final long BITS = 0x7ff0000000000002L;

	/** The marker value. */
	public static final double VALUE = Double.longBitsToDouble(BITS);

	private StaleNaN() {
	}

	public static boolean is(double v) {
		return Double.doubleToRawLongBits(v) == BITS;
	}

}
