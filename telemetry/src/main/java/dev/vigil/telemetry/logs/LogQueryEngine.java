package dev.vigil.telemetry.logs;

import dev.vigil.telemetry.logs.LogQLExpr.LogSelector;
import dev.vigil.telemetry.logs.LogQLExpr.RangeAggregation;
import dev.vigil.telemetry.logs.LogQLExpr.VectorAggregation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * Evaluates parsed LogQL against a {@link LogStore}: log queries as a bounded top-N by time, metric queries in one
 * pass over the records with per-step difference arrays (each record costs O(1) whatever range/step is), summing
 * straight into the final groups so memory is bounded by the result, not by the stored cardinality.
 */
final class LogQueryEngine {

	/** A log line in a result. */
	record Line(long timeNanos, long seq, String line) {

	}

	/** A result stream: labels (stream + structured metadata + extracted) and its lines in result order. */
	record StreamResult(Map<String, String> labels, List<Line> lines) {

	}

	/** A metric series; {@code present[i]} says whether step i has a sample. */
	record Series(Map<String, String> labels, double[] values, boolean[] present) {

	}

	/** Steps of a metric query: start, start + step, … ≤ end. */
	record Steps(long start, long step, int count) {

		long at(int i) {
			return start + i * step;
		}

	}

	private final LogStore store;

	private final QueryLimits limits;

	LogQueryEngine(LogStore store, QueryLimits limits) {
		this.store = store;
		this.limits = limits;
	}

	// ---- log queries ---------------------------------------------------------------------------------------

	private record Hit(long time, long seq, Map<String, String> labels, String line) {

	}

	/** Lines in [start, end), newest first if {@code backward}, at most {@code limit}, grouped into streams. */
	List<StreamResult> selectLogs(LogSelector selector, long start, long end, int limit, boolean backward) {
		Pipeline pipeline = new Pipeline(selector.stages());
		// The heap's head is the worst kept hit: the oldest when backward, the newest when forward.
		Comparator<Hit> order = Comparator.comparingLong(Hit::time).thenComparingLong(Hit::seq);
		PriorityQueue<Hit> heap = new PriorityQueue<>(backward ? order : order.reversed());
		long[] scanned = { 0 };
		store.read(() -> {
			byte[] streamMatch = new byte[store.streamIdBound()];
			store.scan(backward, new LogStore.RecordVisitor() {

				@Override
				public boolean segment(long minTime, long maxTime) {
					if (maxTime < start || minTime >= end) {
						return false;
					}
					if (heap.size() == limit) { // nothing in here can beat the worst kept line
						return backward ? maxTime >= heap.peek().time() : minTime <= heap.peek().time();
					}
					return true;
				}

				@Override
				public boolean record(LogSegment segment, int slot) {
					long time = segment.time[slot];
					if (time < start || time >= end) {
						return true;
					}
					countScanned(scanned);
					if (!matches(streamMatch, segment.stream[slot], selector)) {
						return true;
					}
					long seq = segment.base + slot;
					if (heap.size() == limit) {
						Hit worst = heap.peek();
						int cmp = Long.compare(time, worst.time()) != 0 ? Long.compare(time, worst.time())
								: Long.compare(seq, worst.seq());
						if (backward ? cmp <= 0 : cmp >= 0) {
							return true;
						}
					}
					String line = pipeline.filterLine(segment.payload[slot], true);
					if (line == null) {
						return true;
					}
					LabelSet labels = labels(segment, slot);
					if (!pipeline.process(line, labels)) {
						return true;
					}
					heap.add(new Hit(time, seq, labels.sorted(), line));
					if (heap.size() > limit) {
						heap.poll();
					}
					return true;
				}

			});
			return null;
		});
		List<Hit> hits = new ArrayList<>(heap);
		hits.sort(backward ? order.reversed() : order);
		Map<Map<String, String>, List<Line>> streams = new LinkedHashMap<>();
		for (Hit hit : hits) {
			streams.computeIfAbsent(hit.labels(), labels -> new ArrayList<>())
				.add(new Line(hit.time(), hit.seq(), hit.line()));
		}
		List<StreamResult> result = new ArrayList<>(streams.size());
		streams.forEach((labels, lines) -> result.add(new StreamResult(labels, lines)));
		return result;
	}

	/** Loki's index stats for a selector over [start, end]: streams, "chunks" (segments here), bytes, entries. */
	long[] indexStats(LogSelector selector, long start, long end) {
		long[] stats = new long[4];
		store.read(() -> {
			byte[] streamMatch = new byte[store.streamIdBound()];
			java.util.BitSet streams = new java.util.BitSet();
			LogSegment[] last = { null };
			store.scan(false, new LogStore.RecordVisitor() {

				@Override
				public boolean segment(long minTime, long maxTime) {
					return maxTime >= start && minTime <= end;
				}

				@Override
				public boolean record(LogSegment segment, int slot) {
					long time = segment.time[slot];
					if (time >= start && time <= end && matches(streamMatch, segment.stream[slot], selector)) {
						streams.set(segment.stream[slot]);
						if (last[0] != segment) {
							last[0] = segment;
							stats[1]++;
						}
						stats[2] += RecordCodec.bodyLength(segment.payload[slot]);
						stats[3]++;
					}
					return true;
				}

			});
			stats[0] = streams.cardinality();
			return null;
		});
		return stats;
	}

	private void countScanned(long[] scanned) {
		if (++scanned[0] > limits.maxEntriesScanned()) {
			throw new LogQLException("the query would process more than " + limits.maxEntriesScanned()
					+ " log lines; narrow the time range or the stream selector");
		}
	}

	/** Per-query cache of the stream selector's verdict: 0 unknown, 1 match, 2 no match. */
	private boolean matches(byte[] cache, int streamId, LogSelector selector) {
		if (cache[streamId] == 0) {
			Map<String, String> labels = store.stream(streamId).labels;
			boolean match = selector.matchers().stream().allMatch(m -> m.matches(labels.get(m.name())));
			cache[streamId] = (byte) (match ? 1 : 2);
		}
		return cache[streamId] == 1;
	}

	private LabelSet labels(LogSegment segment, int slot) {
		LabelSet labels = new LabelSet(store.stream(segment.stream[slot]).labels);
		store.metadata(segment, slot, labels::putMetadata);
		return labels;
	}

	// ---- metric queries ------------------------------------------------------------------------------------

	private static final class Accumulator {

		final double[] valueDiff;

		final long[] countDiff;

		Accumulator(int steps) {
			valueDiff = new double[steps + 1];
			countDiff = new long[steps + 1];
		}

	}

	/** Evaluates a metric query at each step. */
	List<Series> evalMetric(LogQLExpr expr, Steps steps) {
		List<VectorAggregation> groupings = new ArrayList<>();
		LogQLExpr node = expr;
		while (node instanceof VectorAggregation aggregation) {
			groupings.add(0, aggregation); // innermost first
			node = aggregation.inner();
		}
		if (!(node instanceof RangeAggregation range)) {
			throw new LogQLException("a metric query is needed here, like count_over_time({service_name=\"x\"}[5m])");
		}
		LogSelector selector = range.selector();
		Pipeline pipeline = new Pipeline(selector.stages());
		boolean streamOnly = !pipeline.usesLabels() && groupings.stream()
			.anyMatch(g -> !g.without() && OtlpLogMapping.STREAM_LABELS.containsAll(g.grouping()));
		boolean decode = pipeline.parses();
		long first = steps.start() - range.rangeNanos();
		long last = steps.at(steps.count() - 1);
		Map<Map<String, String>, Accumulator> series = new HashMap<>();
		long[] scanned = { 0 };
		store.read(() -> {
			byte[] streamMatch = new byte[store.streamIdBound()];
			@SuppressWarnings("unchecked")
			Map<String, String>[] streamKeys = new Map[store.streamIdBound()];
			store.scan(false, new LogStore.RecordVisitor() {

				@Override
				public boolean segment(long minTime, long maxTime) {
					return maxTime > first && minTime <= last;
				}

				@Override
				public boolean record(LogSegment segment, int slot) {
					long time = segment.time[slot];
					if (time <= first || time > last) {
						return true;
					}
					countScanned(scanned);
					int streamId = segment.stream[slot];
					if (!matches(streamMatch, streamId, selector)) {
						return true;
					}
					byte[] payload = segment.payload[slot];
					String line = pipeline.filterLine(payload, decode);
					if (line == null) {
						return true;
					}
					Map<String, String> key;
					if (streamOnly) {
						key = streamKeys[streamId];
						if (key == null) {
							key = group(store.stream(streamId).labels, groupings);
							streamKeys[streamId] = key;
						}
					}
					else {
						LabelSet labels = labels(segment, slot);
						if (!pipeline.process(line, labels)) {
							return true;
						}
						String error = labels.get("__error__");
						if (error != null) {
							throw new LogQLException("pipeline error: '" + error + "' for series: '" + labels.sorted()
									+ "'. Use a label filter to intentionally skip this error. (e.g | __error__!=\""
									+ error + "\"). To skip all potential errors you can match empty errors "
									+ "(e.g | __error__=\"\")");
						}
						key = group(labels.view(), groupings);
					}
					Accumulator acc = series.get(key);
					if (acc == null) {
						if (series.size() >= limits.maxSeries()) {
							throw new LogQLException("maximum of series (" + limits.maxSeries()
									+ ") reached for a single query; aggregate with sum by (...) or narrow the selector");
						}
						acc = new Accumulator(steps.count());
						series.put(key, acc);
					}
					// the record is in the window (t - range, t] of steps t with time <= t < time + range
					int from = (int) Math.max(0, ceilDiv(time - steps.start(), steps.step()));
					long lastStep = Math.floorDiv(time + range.rangeNanos() - 1 - steps.start(), steps.step());
					int to = (int) Math.min(steps.count() - 1, lastStep);
					if (from <= to) {
						double value = range.function().bytes() ? RecordCodec.bodyLength(payload) : 1;
						acc.valueDiff[from] += value;
						acc.valueDiff[to + 1] -= value;
						acc.countDiff[from]++;
						acc.countDiff[to + 1]--;
					}
					return true;
				}

			});
			return null;
		});
		double perSecond = range.function().perSecond() ? range.rangeNanos() / 1e9 : 1;
		List<Series> result = new ArrayList<>(series.size());
		series.forEach((labels, acc) -> {
			double[] values = new double[steps.count()];
			boolean[] present = new boolean[steps.count()];
			double value = 0;
			long count = 0;
			boolean any = false;
			for (int i = 0; i < steps.count(); i++) {
				value += acc.valueDiff[i];
				count += acc.countDiff[i];
				if (count > 0) {
					// difference arrays accumulate float error; counts and byte sums are integers
					values[i] = Math.rint(value) / perSecond;
					present[i] = true;
					any = true;
				}
			}
			if (any) {
				result.add(new Series(labels, values, present));
			}
		});
		result.sort(Comparator.comparing(series1 -> series1.labels().toString()));
		return result;
	}

	private static long ceilDiv(long a, long b) {
		return -Math.floorDiv(-a, b);
	}

	/** Applies the by/without clauses, innermost first; the result is sorted and unmodifiable. */
	private static Map<String, String> group(Map<String, String> labels, List<VectorAggregation> groupings) {
		Map<String, String> current = labels;
		boolean copied = false;
		for (VectorAggregation grouping : groupings) {
			if (grouping.without()) {
				if (!copied) {
					current = new TreeMap<>(current);
					copied = true;
				}
				grouping.grouping().forEach(current::remove);
			}
			else {
				copied = true;
				TreeMap<String, String> kept = new TreeMap<>();
				for (String name : grouping.grouping()) {
					String value = current.get(name);
					if (value != null) {
						kept.put(name, value);
					}
				}
				current = kept;
			}
		}
		return java.util.Collections.unmodifiableSortedMap(copied ? (TreeMap<String, String>) current : new TreeMap<>(current));
	}

}
