package dev.vigil.telemetry.tsdb;

/**
 * The samples of one series within a selected time range, in ascending time order. Values may include
 * {@link StaleNaN staleness markers}.
 */
public record SeriesData(Labels labels, long[] timestamps, double[] values) {

	public int size() {
		return timestamps.length;
	}

}
