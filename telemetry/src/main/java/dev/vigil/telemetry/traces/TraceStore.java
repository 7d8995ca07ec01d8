package dev.vigil.telemetry.traces;

import dev.vigil.telemetry.receiver.TraceSink;
import dev.vigil.telemetry.wal.BatchLog;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;

/**
 * Spans assembled into traces, bounded by a span budget and a retention time. Eviction is by whole trace, oldest
 * first (insertion order of the trace's first span), and counted. Reads take a shared lock, ingest an exclusive one.
 */
public final class TraceStore implements TraceSink, AutoCloseable {

	/**
	 * @param maxSpans the span budget; over it the oldest traces are evicted
	 * @param retentionNanos traces whose last span ended longer ago are evicted
	 */
	public record Config(long maxSpans, long retentionNanos) {

		public static Config defaults() {
			return new Config(1_000_000, 6L * 3600 * 1_000_000_000L);
		}

	}

	/** A trace found by search: its root and extent, and the spans that matched. */
	public record TraceSummary(String traceId, String rootService, String rootName, long startNanos, long endNanos,
			List<StoredSpan> matched) {

	}

	private final Config config;

	private final HashMap<StoredTrace.TraceKey, StoredTrace> traces = new HashMap<>();

	/** The traces in order of their first span's arrival: eviction takes the oldest, search starts at the newest. */
	private final ArrayDeque<StoredTrace> arrival = new ArrayDeque<>();

	private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

	private long spans;

	private long bytes;

	private final AtomicLong ingested = new AtomicLong();

	private final AtomicLong evicted = new AtomicLong();

	private volatile BatchLog<?> wal;

	/** Decodes what tests and tools append as messages, and the append log's records on replay. */
	private final SpanDecoder decoder = new SpanDecoder();

	public TraceStore(Config config) {
		this.config = config;
	}

	/**
	 * A store persisted in {@code dataDir}, as the log store is: replays the batches an earlier process logged there
	 * (spans past the budget or retention are evicted as usual), then logs every batch before storing it. The log
	 * holds each {@code ResourceSpans} as it was received (its bytes copied from the request, not re-encoded); the
	 * same decoder reads it back. It is flushed to the OS every second, so a kill -9 loses at most about the last
	 * second of spans.
	 */
	public static TraceStore open(Config config, Path dataDir) throws IOException {
		TraceStore store = new TraceStore(config);
		BatchLog<?> log = BatchLog.raw(dataDir, "trace store", config.maxSpans());
		log.replayRaw(record -> {
			SpanBatch batch = store.decoder.decodeResourceSpans(record);
			store.store(batch);
			return batch.size();
		});
		store.wal = log;
		log.startFlusher();
		return store;
	}

	/** Flushes and closes the append log, if any. The store stays usable in memory. */
	@Override
	public void close() {
		BatchLog<?> log = wal;
		wal = null;
		if (log != null) {
			log.close();
		}
	}

	/** For tests: what the flusher does every second. */
	void flush() {
		BatchLog<?> log = wal;
		if (log != null) {
			log.flush();
		}
	}

	@Override
	public void accept(SpanBatch batch) {
		append(batch);
	}

	/** Stores spans given as messages (tests, tools), decoded as the receiver's requests are. */
	public void append(List<ResourceSpans> batch) {
		append(decoder.decode(batch));
	}

	/** Stores a batch as the receiver delivers it (and logs it first when persistent). */
	public void append(SpanBatch batch) {
		BatchLog<?> log = wal;
		if (log != null && batch.resourceSpansCount > 0) {
			log.writeRaw(batch.buf, batch.resourceSpans, batch.resourceSpansCount);
		}
		store(batch);
	}

	private void store(SpanBatch batch) {
		int size = batch.size();
		if (size == 0) {
			return;
		}
		lock.writeLock().lock();
		try {
			StoredTrace trace = null;
			for (int i = 0; i < size; i++) {
				StoredSpan span = batch.span(i);
				// consecutive spans of one trace (the usual order) need one lookup
				if (trace == null || trace.key.high() != span.traceHigh || trace.key.low() != span.traceLow) {
					StoredTrace.TraceKey key = new StoredTrace.TraceKey(span.traceHigh, span.traceLow);
					trace = traces.get(key);
					if (trace == null) {
						trace = new StoredTrace(key);
						traces.put(key, trace);
						arrival.addLast(trace);
						bytes += StoredTrace.overheadBytes();
					}
				}
				trace.add(span, batch.pairHashes, batch.pairStart[i], batch.pairStart[i + 1]);
				spans++;
				bytes += span.estimatedBytes();
			}
			ingested.addAndGet(size);
			evict(System.currentTimeMillis() * 1_000_000L);
		}
		finally {
			lock.writeLock().unlock();
		}
	}

	private void evict(long nowNanos) {
		long oldestAllowed = nowNanos - config.retentionNanos();
		while (!arrival.isEmpty()) {
			StoredTrace trace = arrival.peekFirst();
			boolean overBudget = spans > config.maxSpans();
			boolean expired = trace.endNanos() < oldestAllowed;
			if (!overBudget && !expired) {
				break;
			}
			arrival.removeFirst();
			traces.remove(trace.key);
			spans -= trace.spans.size();
			bytes -= trace.bytes() + StoredTrace.overheadBytes();
			evicted.addAndGet(trace.spans.size());
		}
	}

	/** The spans of a trace, by its id as {@link Hex#normalizeTraceId} gives it. */
	public Optional<List<StoredSpan>> trace(String traceId) {
		lock.readLock().lock();
		try {
			StoredTrace trace = traces.get(StoredTrace.TraceKey.of(traceId));
			return trace == null ? Optional.empty() : Optional.of(List.copyOf(trace.spans));
		}
		finally {
			lock.readLock().unlock();
		}
	}

	/**
	 * Newest traces first whose spans satisfy the filter within [start, end], at most {@code limit}. A TraceQL
	 * {@link SpanFilter} first consults each trace's digest, so traces that cannot match are skipped unread.
	 */
	public List<TraceSummary> search(Predicate<StoredSpan> filter, long startNanos, long endNanos, long minDurationNanos,
			long maxDurationNanos, int limit) {
		List<TraceSummary> found = new ArrayList<>();
		SpanFilter prunable = filter instanceof SpanFilter spanFilter ? spanFilter : null;
		lock.readLock().lock();
		try {
			Iterator<StoredTrace> newestFirst = arrival.descendingIterator();
			while (newestFirst.hasNext() && found.size() < limit) {
				StoredTrace trace = newestFirst.next();
				long traceStart = trace.startNanos();
				long traceEnd = trace.endNanos();
				if (traceEnd < startNanos || traceStart > endNanos) {
					continue;
				}
				long duration = traceEnd - traceStart;
				if (duration < minDurationNanos || duration > maxDurationNanos) {
					continue;
				}
				if (prunable != null && !prunable.mayMatch(trace.digest)) {
					continue;
				}
				List<StoredSpan> matched = new ArrayList<>(3);
				int matches = 0;
				for (StoredSpan span : trace.spans) {
					if (filter.test(span) && matches++ < 3) {
						matched.add(span);
					}
				}
				if (matches > 0) {
					StoredSpan root = trace.root();
					found.add(new TraceSummary(root.traceId(), root.service(), root.name(), traceStart, traceEnd,
							matched));
				}
			}
		}
		finally {
			lock.readLock().unlock();
		}
		return found;
	}

	/**
	 * Attribute names seen, by scope ("resource" or "span"), sorted. Span attributes are read from the stored bytes,
	 * but only once per distinct set of names ({@link StoredSpan#keyShape}): the spans of one operation have the same.
	 */
	public Map<String, TreeSet<String>> tagNames() {
		Map<String, TreeSet<String>> names = new HashMap<>();
		names.put("resource", new TreeSet<>());
		names.put("span", new TreeSet<>());
		names.put("intrinsic", new TreeSet<>(List.of("duration", "kind", "name", "status")));
		Set<Long> shapes = new HashSet<>();
		Set<StoredResource> resources = Collections.newSetFromMap(new IdentityHashMap<>());
		lock.readLock().lock();
		try {
			for (StoredTrace trace : arrival) {
				for (StoredSpan span : trace.spans) {
					if (resources.add(span.storedResource())) {
						names.get("resource").addAll(span.resourceAttributes().keySet());
					}
					if (shapes.add(span.keyShape())) {
						names.get("span").addAll(span.attributes().keySet());
					}
				}
			}
		}
		finally {
			lock.readLock().unlock();
		}
		return names;
	}

	/**
	 * Span attribute values for {@link #tagValues} are read from the stored bytes (about a microsecond a span), so
	 * they come from the newest this many spans: what an editor's autocompletion needs, in about 100 ms.
	 */
	static final int TAG_VALUE_SPANS = 100_000;

	/**
	 * Distinct values of a tag ("service.name", "resource.service.name", "span.http.route", "name", "status"), at
	 * most {@code limit}; span attributes from the newest {@link #TAG_VALUE_SPANS} spans.
	 */
	public TreeSet<String> tagValues(String tag, int limit) {
		TreeSet<String> values = new TreeSet<>();
		boolean spanAttribute = !tag.equals("name") && !tag.equals("status") && !tag.startsWith("resource.");
		String key = tag.startsWith("span.") ? tag.substring("span.".length())
				: tag.startsWith("resource.") ? tag.substring("resource.".length())
				: tag.startsWith(".") ? tag.substring(1) : tag;
		byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
		int scanned = 0;
		lock.readLock().lock();
		try {
			Iterator<StoredTrace> newestFirst = arrival.descendingIterator();
			while (newestFirst.hasNext() && values.size() < limit
					&& !(spanAttribute && scanned >= TAG_VALUE_SPANS)) {
				for (StoredSpan span : newestFirst.next().spans) {
					scanned++;
					String value = switch (tag) {
						case "name" -> span.name();
						case "status" -> span.statusCode() == StoredSpan.STATUS_ERROR ? "error"
								: span.statusCode() == StoredSpan.STATUS_OK ? "ok" : "unset";
						default -> tag.startsWith("resource.") ? span.resourceAttributes().get(key)
								: tag.startsWith("span.") ? span.attribute(utf8) : span.attributeOrResource(utf8, key);
					};
					if (value != null && values.size() < limit) {
						values.add(value);
					}
				}
			}
		}
		finally {
			lock.readLock().unlock();
		}
		return values;
	}

	public long spanCount() {
		lock.readLock().lock();
		try {
			return spans;
		}
		finally {
			lock.readLock().unlock();
		}
	}

	public long estimatedBytes() {
		lock.readLock().lock();
		try {
			return bytes;
		}
		finally {
			lock.readLock().unlock();
		}
	}

	public long ingestedSpans() {
		return ingested.get();
	}

	public long evictedSpans() {
		return evicted.get();
	}

	/** Failed writes to the append log (0 in memory): batches that a restart would not restore. */
	public long walWriteErrors() {
		BatchLog<?> log = wal;
		return log == null ? 0 : log.writeErrors();
	}

}
