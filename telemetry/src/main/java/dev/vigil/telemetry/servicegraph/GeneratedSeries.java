package dev.vigil.telemetry.servicegraph;

import dev.vigil.telemetry.otlp.PrometheusNaming;
import dev.vigil.telemetry.otlp.SampleSink;
import dev.vigil.telemetry.tsdb.Labels;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * Cumulative counters and histograms derived from spans, written to the metrics store as Prometheus series on every
 * {@link #collect}, as Tempo's metrics-generator remote-writes its registry. Bounded: at most {@code maxSeries}
 * label combinations per family; updates for further combinations are dropped and counted, so one attribute with
 * unbounded values cannot flood the metrics store.
 *
 * @param <K> the key identifying a series (a record of dimension values), cheaper to look up than labels
 */
final class GeneratedSeries<K> {

	/** A cumulative counter. */
	static final class Counter {

		private final Labels labels;

		private final LongAdder value = new LongAdder();

		private volatile boolean collected;

		Counter(Labels labels) {
			this.labels = labels;
		}

		void inc() {
			value.increment();
		}

	}

	/** A cumulative histogram with fixed upper bounds, in seconds. */
	static final class Histogram {

		private final Labels sumLabels;

		private final Labels countLabels;

		private final Labels[] bucketLabels;

		private final double[] bounds;

		private final LongAdder[] buckets;

		private final DoubleAdder sum = new DoubleAdder();

		private final LongAdder count = new LongAdder();

		private volatile boolean collected;

		Histogram(String name, Labels labels, double[] bounds) {
			this.bounds = bounds;
			Labels bucketBase = labels.toBuilder().set(Labels.METRIC_NAME, name + "_bucket").build();
			this.sumLabels = labels.toBuilder().set(Labels.METRIC_NAME, name + "_sum").build();
			this.countLabels = labels.toBuilder().set(Labels.METRIC_NAME, name + "_count").build();
			this.bucketLabels = new Labels[bounds.length + 1];
			this.buckets = new LongAdder[bounds.length + 1];
			for (int i = 0; i <= bounds.length; i++) {
				String le = i < bounds.length ? PrometheusNaming.formatFloat(bounds[i]) : "+Inf";
				bucketLabels[i] = bucketBase.toBuilder().set("le", le).build();
				buckets[i] = new LongAdder();
			}
		}

		void observe(double seconds) {
			int i = 0;
			while (i < bounds.length && seconds > bounds[i]) {
				i++;
			}
			buckets[i].increment();
			sum.add(seconds);
			count.increment();
		}

	}

	private final int maxSeries;

	private final ConcurrentHashMap<K, Object> series = new ConcurrentHashMap<>();

	private final AtomicLong dropped = new AtomicLong();

	GeneratedSeries(int maxSeries) {
		this.maxSeries = maxSeries;
	}

	/** The counter for {@code key}, created by {@code labels} on first use; null (and counted) over the limit. */
	Counter counter(K key, Function<K, Labels> labels) {
		return (Counter) lookup(key, k -> new Counter(labels.apply(k)));
	}

	Histogram histogram(K key, Function<K, Labels> labels, String name, double[] bounds) {
		return (Histogram) lookup(key, k -> new Histogram(name, labels.apply(k), bounds));
	}

	private Object lookup(K key, Function<K, Object> create) {
		Object found = series.get(key);
		if (found != null) {
			return found;
		}
		// the size check races with concurrent creators: the limit may be exceeded by the number of ingest threads
		if (series.size() >= maxSeries) {
			dropped.incrementAndGet();
			return null;
		}
		return series.computeIfAbsent(key, create);
	}

	long dropped() {
		return dropped.get();
	}

	int size() {
		return series.size();
	}

	/**
	 * Appends the current value of every series at {@code timestampMillis}. A series appended for the first time
	 * also gets a zero sample a millisecond earlier, so that {@code rate()} and {@code increase()} see its first
	 * increments (Tempo's registry does the same), rather than needing two collections first.
	 */
	void collect(SampleSink sink, long timestampMillis) {
		for (Object s : series.values()) {
			if (s instanceof Counter c) {
				if (!c.collected) {
					sink.append(c.labels, timestampMillis - 1, 0);
					c.collected = true;
				}
				sink.append(c.labels, timestampMillis, c.value.sum());
			}
			else {
				collect((Histogram) s, sink, timestampMillis);
			}
		}
	}

	private static void collect(Histogram h, SampleSink sink, long ts) {
		if (!h.collected) {
			for (Labels bucket : h.bucketLabels) {
				sink.append(bucket, ts - 1, 0);
			}
			sink.append(h.sumLabels, ts - 1, 0);
			sink.append(h.countLabels, ts - 1, 0);
			h.collected = true;
		}
		long cumulative = 0;
		for (int i = 0; i < h.buckets.length; i++) {
			cumulative += h.buckets[i].sum();
			sink.append(h.bucketLabels[i], ts, cumulative);
		}
		sink.append(h.sumLabels, ts, h.sum.sum());
		// the count from the buckets, so that count == +Inf bucket even when an observation races the collection
		sink.append(h.countLabels, ts, cumulative);
	}

	static double[] exponentialBuckets(double start, double factor, int count) {
		double[] bounds = new double[count];
		double bound = start;
		for (int i = 0; i < count; i++) {
			bounds[i] = bound;
			bound *= factor;
		}
		return bounds;
	}

}
