package dev.vigil.telemetry.tsdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The in-memory time-series store (the "head"): one {@link MemSeries} per label set with compressed chunks, an
 * inverted index for label matchers, retention and a memory budget. With a data directory it snapshots itself
 * periodically and keeps an append log flushed every second, so a crash loses at most about two seconds.
 *
 * <p>Thread-safe: appends and queries may run concurrently.
 */
public final class Storage implements Queryable, AutoCloseable {

	private static final int MAINTENANCE_EVERY = 8192;

	private final StorageConfig config;
	private final ConcurrentHashMap<Labels, MemSeries> series = new ConcurrentHashMap<>();
	// label name -> label value -> series; series sets are concurrent
	private final ConcurrentHashMap<String, ConcurrentHashMap<String, Set<MemSeries>>> postings = new ConcurrentHashMap<>();
	private final AtomicLong bytes = new AtomicLong();
	private final AtomicLong maxTime = new AtomicLong(Long.MIN_VALUE);
	// a lower bound of the newest sample of every series' oldest chunk: retention drops whole chunks, so it has
	// nothing to drop while this is within the retention window
	private final AtomicLong oldestChunkEnd = new AtomicLong(Long.MAX_VALUE);
	private final LongAdder appended = new LongAdder();
	private final LongAdder outOfOrder = new LongAdder();
	private final LongAdder duplicates = new LongAdder();
	private final LongAdder droppedChunks = new LongAdder();
	private final LongAdder droppedSamples = new LongAdder();
	private final LongAdder rejectedOverBudget = new LongAdder();
	private final AtomicLong sinceMaintenance = new AtomicLong();
	private final Object maintenanceLock = new Object();
	private volatile Persistence persistence;

	private Storage(StorageConfig config) {
		this.config = config;
	}

	/**
	 * Opens a storage: with a data directory, reloads the last snapshot and replays the append log, then starts
	 * background snapshotting. Close it to flush and stop the background work.
	 */
	public static Storage open(StorageConfig config) {
		Storage s = new Storage(config);
		if (config.dataDir() != null) {
			try {
				s.persistence = Persistence.open(s, config);
			}
			catch (IOException e) {
				throw new UncheckedIOException("cannot open data directory " + config.dataDir(), e);
			}
		}
		return s;
	}

	/** An in-memory storage with default limits. */
	public static Storage inMemory() {
		return open(StorageConfig.inMemory());
	}

	public StorageConfig config() {
		return config;
	}

	/**
	 * Appends one sample. Samples older than the series' newest sample are rejected (out of order) and counted, as
	 * are samples with the same timestamp but a different value. Empty label values are dropped from {@code labels}
	 * by construction.
	 * @return whether the sample was stored
	 */
	public boolean append(Labels labels, long timestampMillis, double value) {
		boolean ok = appendInternal(labels, timestampMillis, value);
		Persistence p = persistence;
		if (ok && p != null) {
			p.log(labels, timestampMillis, value);
		}
		return ok;
	}

	/**
	 * The series for a label set, created when new, as a handle for {@link #append(MemSeries, long, double)}: writers
	 * that see the same series again and again (OTLP exporters, rules) keep it and skip the label-set lookup. Returns
	 * null when a new series does not fit in the memory budget (the append by labels that follows counts that).
	 */
	public MemSeries seriesRef(Labels labels) {
		MemSeries s = series.get(labels);
		if (s == null) {
			if (bytes.get() > config.memoryBudgetBytes()) {
				maintain();
				if (bytes.get() > config.memoryBudgetBytes()) {
					return null;
				}
			}
			s = series.computeIfAbsent(labels, l -> {
				MemSeries created = new MemSeries(l);
				index(created);
				bytes.addAndGet(created.overheadBytes + 128);
				return created;
			});
		}
		return s;
	}

	/**
	 * Appends one sample to a series obtained from {@link #seriesRef}; the same rules as
	 * {@link #append(Labels, long, double)}. A handle whose series was dropped meanwhile (retention, memory budget)
	 * is resolved again by its labels.
	 * @return whether the sample was stored
	 */
	public boolean append(MemSeries ref, long timestampMillis, double value) {
		boolean ok = appendTo(ref, timestampMillis, value);
		Persistence p = persistence;
		if (ok && p != null) {
			p.log(ref.labels, timestampMillis, value);
		}
		return ok;
	}

	boolean appendInternal(Labels labels, long t, double v) {
		MemSeries s = seriesRef(labels);
		if (s == null) {
			rejectedOverBudget.increment();
			return false;
		}
		return appendTo(s, t, v);
	}

	private boolean appendTo(MemSeries s, long t, double v) {
		long[] bytesDelta = new long[1];
		MemSeries.AppendResult r = s.append(t, v, bytesDelta);
		while (r == MemSeries.AppendResult.REMOVED) {
			s = seriesRef(s.labels);
			if (s == null) {
				rejectedOverBudget.increment();
				return false;
			}
			r = s.append(t, v, bytesDelta);
		}
		switch (r) {
			case OUT_OF_ORDER -> {
				outOfOrder.increment();
				return false;
			}
			case DUPLICATE -> {
				duplicates.increment();
				return false;
			}
			case IDENTICAL -> {
				return true;
			}
			default -> {
			}
		}
		appended.increment();
		if (bytesDelta[0] != 0) {
			bytes.addAndGet(bytesDelta[0]);
		}
		// a plain read first: the newest time rarely moves backwards, and a CAS per sample is not free
		if (t > maxTime.get()) {
			maxTime.accumulateAndGet(t, Math::max);
		}
		if (t < oldestChunkEnd.get()) {
			oldestChunkEnd.accumulateAndGet(t, Math::min);
		}
		// maintenance walks every series, so it runs at most once per as many samples as there are series: constant
		// work per sample however many series there are
		if (sinceMaintenance.incrementAndGet() >= Math.max(MAINTENANCE_EVERY, series.size())
				|| bytes.get() > config.memoryBudgetBytes()) {
			sinceMaintenance.set(0);
			maintain();
		}
		return true;
	}

	private void index(MemSeries s) {
		s.labels.forEach((n, v) -> postings.computeIfAbsent(n, k -> new ConcurrentHashMap<>())
			.computeIfAbsent(v, k -> ConcurrentHashMap.newKeySet())
			.add(s));
	}

	private void unindex(MemSeries s) {
		s.labels.forEach((n, v) -> {
			Map<String, Set<MemSeries>> values = postings.get(n);
			if (values != null) {
				Set<MemSeries> set = values.get(v);
				if (set != null) {
					set.remove(s);
					if (set.isEmpty()) {
						values.remove(v, set);
					}
				}
			}
		});
	}

	/**
	 * Applies retention (relative to the newest sample) and the memory budget: chunks older than the retention are
	 * removed, then the globally oldest sealed chunks until the estimate is under 90% of the budget. Runs
	 * automatically during appends; public for tests and for callers wanting deterministic housekeeping.
	 */
	public void maintain() {
		synchronized (maintenanceLock) {
			long newest = maxTime.get();
			long mint = newest - config.retention().toMillis();
			// walking every series is the cost of maintenance: skip it while no sample can be out of retention
			if (newest != Long.MIN_VALUE && oldestChunkEnd.get() < mint) {
				// appends during the walk lower the bound again themselves
				oldestChunkEnd.set(Long.MAX_VALUE);
				long oldest = Long.MAX_VALUE;
				for (MemSeries s : series.values()) {
					if (s.minTime() < mint) {
						long[] freed = s.truncateBefore(mint);
						bytes.addAndGet(-freed[0]);
						droppedSamples.add(freed[1]);
						if (s.isEmpty()) {
							removeSeries(s);
							continue;
						}
					}
					oldest = Math.min(oldest, s.oldestChunkEnd());
				}
				oldestChunkEnd.accumulateAndGet(oldest, Math::min);
			}
			long budget = config.memoryBudgetBytes();
			if (bytes.get() > budget) {
				long target = budget * 9 / 10;
				PriorityQueue<MemSeries> oldest = new PriorityQueue<>(
						Comparator.comparingLong(MemSeries::oldestSealedMinT));
				for (MemSeries s : series.values()) {
					if (s.oldestSealedMinT() != Long.MAX_VALUE) {
						oldest.add(s);
					}
				}
				while (bytes.get() > target && !oldest.isEmpty()) {
					MemSeries s = oldest.poll();
					long[] freed = s.dropOldestSealed();
					bytes.addAndGet(-freed[0]);
					droppedChunks.increment();
					droppedSamples.add(freed[1]);
					if (s.oldestSealedMinT() != Long.MAX_VALUE) {
						oldest.add(s);
					}
					else if (s.isEmpty()) {
						removeSeries(s);
					}
				}
			}
		}
	}

	private void removeSeries(MemSeries s) {
		if (series.remove(s.labels, s)) {
			s.markRemoved();
			unindex(s);
			bytes.addAndGet(-(s.overheadBytes + 128 + s.headBytes()));
		}
	}

	@Override
	public List<SeriesData> select(long mint, long maxt, List<Matcher> matchers) {
		List<SeriesData> out = new ArrayList<>();
		for (MemSeries s : candidates(matchers)) {
			if (!matchesAll(s.labels, matchers)) {
				continue;
			}
			SeriesData d = s.read(mint, maxt);
			if (d != null) {
				out.add(d);
			}
		}
		return out;
	}

	private Collection<MemSeries> candidates(List<Matcher> matchers) {
		// the smallest postings list of an equality matcher on a non-empty value bounds the candidates
		Collection<MemSeries> best = null;
		for (Matcher m : matchers) {
			if (m.type() == Matcher.Type.EQUAL && !m.value().isEmpty()) {
				Map<String, Set<MemSeries>> values = postings.get(m.name());
				Set<MemSeries> set = values == null ? null : values.get(m.value());
				if (set == null) {
					return List.of();
				}
				if (best == null || set.size() < best.size()) {
					best = set;
				}
			}
		}
		return best != null ? new ArrayList<>(best) : new ArrayList<>(series.values());
	}

	private static boolean matchesAll(Labels l, List<Matcher> matchers) {
		for (Matcher m : matchers) {
			if (!m.matches(l.get(m.name()))) {
				return false;
			}
		}
		return true;
	}

	private List<MemSeries> matching(long mint, long maxt, List<List<Matcher>> matcherSets) {
		List<MemSeries> out = new ArrayList<>();
		Set<Labels> seen = new HashSet<>();
		if (matcherSets == null || matcherSets.isEmpty()) {
			matcherSets = List.of(List.of());
		}
		for (List<Matcher> ms : matcherSets) {
			for (MemSeries s : candidates(ms)) {
				if (matchesAll(s.labels, ms) && s.maxTime() >= mint && s.minTime() <= maxt && seen.add(s.labels)) {
					out.add(s);
				}
			}
		}
		return out;
	}

	/** Label sets of series matching any of the matcher sets with samples in [mint, maxt], sorted. */
	public List<Labels> series(long mint, long maxt, List<List<Matcher>> matcherSets) {
		List<Labels> out = new ArrayList<>();
		for (MemSeries s : matching(mint, maxt, matcherSets)) {
			out.add(s.labels);
		}
		out.sort(null);
		return out;
	}

	/** Sorted label names of series matching any matcher set (all series when none) in [mint, maxt]. */
	public List<String> labelNames(long mint, long maxt, List<List<Matcher>> matcherSets) {
		TreeSet<String> names = new TreeSet<>();
		for (MemSeries s : matching(mint, maxt, matcherSets)) {
			names.addAll(s.labels.names());
		}
		return new ArrayList<>(names);
	}

	/** Sorted values of a label among series matching any matcher set (all series when none) in [mint, maxt]. */
	public List<String> labelValues(String name, long mint, long maxt, List<List<Matcher>> matcherSets) {
		TreeSet<String> values = new TreeSet<>();
		for (MemSeries s : matching(mint, maxt, matcherSets)) {
			String v = s.labels.get(name);
			if (!v.isEmpty()) {
				values.add(v);
			}
		}
		return new ArrayList<>(values);
	}

	/** Removes every series (used by tests and the conformance runner's {@code clear}). */
	public void clear() {
		synchronized (maintenanceLock) {
			series.values().forEach(MemSeries::markRemoved);
			series.clear();
			postings.clear();
			oldestChunkEnd.set(Long.MAX_VALUE);
			bytes.set(0);
			maxTime.set(Long.MIN_VALUE);
		}
	}

	/** Writes a snapshot now (no-op without a data directory). */
	public void snapshot() {
		Persistence p = persistence;
		if (p != null) {
			try {
				p.snapshot();
			}
			catch (IOException e) {
				throw new UncheckedIOException(e);
			}
		}
	}

	/** Recovery replays samples the snapshot may already hold; those rejections are not real ingestion problems. */
	void resetCounters() {
		appended.reset();
		outOfOrder.reset();
		duplicates.reset();
	}

	Collection<MemSeries> allSeries() {
		return series.values();
	}

	/**
	 * Bytes of compressed sample data over all series (chunk payloads only, no index or label overhead): divided by
	 * the sample count this is the compression ratio. Walks every series, so not for hot paths.
	 */
	public long encodedSampleBytes() {
		long b = 0;
		for (MemSeries s : series.values()) {
			b += s.encodedBytes();
		}
		return b;
	}

	/** Counters for self-monitoring. */
	public Stats stats() {
		return new Stats(series.size(), appended.sum(), outOfOrder.sum(), duplicates.sum(), droppedChunks.sum(),
				droppedSamples.sum(), rejectedOverBudget.sum(), bytes.get());
	}

	/**
	 * Storage counters.
	 *
	 * @param series number of series in memory
	 * @param samplesAppended samples accepted since start
	 * @param outOfOrder samples rejected because they were older than the series' newest sample
	 * @param duplicates samples rejected for repeating a timestamp with a different value
	 * @param droppedChunks chunks dropped to stay within the memory budget
	 * @param droppedSamples samples dropped by retention or the memory budget
	 * @param rejectedOverBudget samples rejected because a new series could not fit in the memory budget
	 * @param estimatedBytes estimated heap use of series and chunks
	 */
	public record Stats(long series, long samplesAppended, long outOfOrder, long duplicates, long droppedChunks,
			long droppedSamples, long rejectedOverBudget, long estimatedBytes) {
	}

	/** Flushes the append log, writes a final snapshot and stops background work. */
	@Override
	public void close() {
		Persistence p = persistence;
		persistence = null;
		if (p != null) {
			p.close();
		}
	}

}
