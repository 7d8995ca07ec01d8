package dev.vigil.telemetry.servicegraph;

import dev.vigil.telemetry.otlp.SampleSink;
import dev.vigil.telemetry.tsdb.Labels;
import dev.vigil.telemetry.traces.SpanBatch;
import dev.vigil.telemetry.traces.SpanDecoder;
import dev.vigil.telemetry.traces.StoredSpan;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metrics from spans, as Tempo's metrics-generator makes them: the service graph ({@link ServiceGraph}) and span
 * metrics ({@link SpanMetrics}). Spans are counted as they arrive (on the ingest path: no lock beyond the pending
 * edge store, no allocation per span for known series); every collection interval the cumulative values are
 * appended to the metrics store, where PromQL sees them like any scraped counter or histogram.
 */
public final class MetricsGenerator implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(MetricsGenerator.class);

	/**
	 * @param maxPendingEdges half-seen edges kept while waiting for their other side (Tempo: 10,000)
	 * @param edgeWait how long a half-seen edge waits (Tempo: 10 s)
	 * @param maxSeriesPerMetric label combinations per metric; updates for more are dropped and counted (10,000)
	 * @param collectionInterval how often samples are appended to the metrics store (Tempo: 15 s)
	 */
	public record Config(int maxPendingEdges, Duration edgeWait, int maxSeriesPerMetric, Duration collectionInterval) {

		public static Config defaults() {
			return new Config(10_000, Duration.ofSeconds(10), 10_000, Duration.ofSeconds(15));
		}

	}

	private final Config config;

	private final LongSupplier clockMillis;

	private final ServiceGraph graph;

	private final SpanMetrics spanMetrics;

	private ScheduledExecutorService timer;

	private final SpanDecoder decoder = new SpanDecoder();

	public MetricsGenerator(Config config) {
		this(config, System::currentTimeMillis);
	}

	public MetricsGenerator(Config config, LongSupplier clockMillis) {
		this.config = config;
		this.clockMillis = clockMillis;
		this.graph = new ServiceGraph(config.maxPendingEdges(), config.edgeWait().toMillis(),
				config.maxSeriesPerMetric());
		this.spanMetrics = new SpanMetrics(config.maxSeriesPerMetric());
	}

	/** Counts a batch of spans as the receiver delivers it. */
	public void accept(SpanBatch batch) {
		long now = clockMillis.getAsLong();
		for (StoredSpan span : batch.spans()) {
			spanMetrics.record(span);
			graph.record(span, now);
		}
	}

	/** Counts spans given as messages (tests), decoded as the receiver's requests are. */
	public void accept(List<ResourceSpans> batch) {
		accept(decoder.decode(batch));
	}

	/** Appends every generated series at {@code timestampMillis} (expiring overdue edges first). */
	public void collect(SampleSink sink, long timestampMillis) {
		graph.collect(sink, timestampMillis);
		spanMetrics.collect(sink, timestampMillis);
		stats().forEach((name, value) -> sink.append(Labels.of(Labels.METRIC_NAME, name, "job", "vigil-telemetry"),
				timestampMillis, value));
	}

	/** Collects into {@code sink} every collection interval until closed. */
	public synchronized void start(SampleSink sink) {
		if (timer != null) {
			throw new IllegalStateException("already started");
		}
		timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
			Thread thread = new Thread(runnable, "metrics-generator");
			thread.setDaemon(true);
			return thread;
		});
		long every = config.collectionInterval().toMillis();
		timer.scheduleAtFixedRate(() -> {
			try {
				collect(sink, clockMillis.getAsLong());
			}
			catch (RuntimeException e) {
				log.warn("collecting span-derived metrics failed", e);
			}
		}, every, every, TimeUnit.MILLISECONDS);
	}

	/** Self-monitoring counts, by metric name: what was dropped and why. */
	public Map<String, Long> stats() {
		Map<String, Long> stats = new LinkedHashMap<>();
		stats.put("vigil_telemetry_service_graph_pending_edges", (long) graph.pendingEdges());
		stats.put("vigil_telemetry_service_graph_expired_edges_total", graph.expiredEdges());
		stats.put("vigil_telemetry_service_graph_dropped_spans_total", graph.droppedSpans());
		stats.put("vigil_telemetry_generated_series_updates_dropped_total",
				graph.droppedSeriesUpdates() + spanMetrics.droppedUpdates());
		return stats;
	}

	@Override
	public synchronized void close() {
		if (timer != null) {
			timer.shutdownNow();
			timer = null;
		}
	}

}
