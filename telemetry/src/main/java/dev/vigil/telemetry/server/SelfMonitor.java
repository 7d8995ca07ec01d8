package dev.vigil.telemetry.server;

import dev.vigil.telemetry.tsdb.Labels;
import dev.vigil.telemetry.tsdb.Storage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleSupplier;

/**
 * The server's own metrics, appended to its own storage as if scraped ({@code job="vigil-telemetry"}), so the same
 * PromQL and rules watch the watcher. Names follow Prometheus conventions: {@code vigil_telemetry_*}, counters end
 * in {@code _total}.
 */
final class SelfMonitor {

	static final String JOB = "vigil-telemetry";

	private record Metric(Labels labels, DoubleSupplier value) {
	}

	private final Storage storage;
	private final String instance;
	// stores assembled after the server started register theirs while collection runs
	private final List<Metric> metrics = new CopyOnWriteArrayList<>();

	SelfMonitor(Storage storage, String instance) {
		this.storage = storage;
		this.instance = instance;
	}

	/** Registers a metric; extra labels as name/value pairs. */
	SelfMonitor add(String name, DoubleSupplier value, String... labels) {
		Labels.Builder b = Labels.builder().set(Labels.METRIC_NAME, name).set("job", JOB).set("instance", instance);
		for (int i = 0; i + 1 < labels.length; i += 2) {
			b.set(labels[i], labels[i + 1]);
		}
		metrics.add(new Metric(b.build(), value));
		return this;
	}

	/** Appends one sample of every metric at {@code ts}. */
	void collect(long ts) {
		for (Metric m : metrics) {
			double v;
			try {
				v = m.value.getAsDouble();
			}
			catch (RuntimeException e) {
				continue;
			}
			storage.append(m.labels, ts, v);
		}
	}

}
