package dev.vigil.telemetry.otlp;

import dev.vigil.telemetry.tsdb.Labels;
import dev.vigil.telemetry.tsdb.MemSeries;
import dev.vigil.telemetry.tsdb.Storage;

/** Translated samples into the storage, through cached series handles when the translator has them. */
public final class StorageSink implements SampleSink {

	private final Storage storage;

	public StorageSink(Storage storage) {
		this.storage = storage;
	}

	@Override
	public boolean append(Labels labels, long timestampMillis, double value) {
		return storage.append(labels, timestampMillis, value);
	}

	@Override
	public Object seriesRef(Labels labels) {
		return storage.seriesRef(labels);
	}

	@Override
	public boolean append(Object ref, Labels labels, long timestampMillis, double value) {
		return ref instanceof MemSeries s ? storage.append(s, timestampMillis, value)
				: storage.append(labels, timestampMillis, value);
	}

}
