package dev.vigil.telemetry.promql;

import dev.vigil.telemetry.tsdb.Labels;

/**
 * One element of an instant vector during evaluation. {@code dropName} implements Prometheus 3's delayed metric name
 * removal: the name stays for matching and grouping and is removed when the query result is built.
 */
record VSample(Labels metric, double v, boolean dropName) {
}
