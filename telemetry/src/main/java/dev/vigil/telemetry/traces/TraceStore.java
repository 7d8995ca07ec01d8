package dev.vigil.telemetry.traces;

import com.google.protobuf.ByteString;
import dev.vigil.telemetry.receiver.TraceSink;
import dev.vigil.telemetry.wal.BatchLog;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

	private final HashMap<String, StoredTrace> traces = new HashMap<>();

	/** The traces in order of their first span's arrival: eviction takes the oldest, search starts at the newest. */
	private final ArrayDeque<StoredTrace> arrival = new ArrayDeque<>();

	private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

	private long spans;

	private long bytes;

	private final AtomicLong ingested = new AtomicLong();

	private final AtomicLong evicted = new AtomicLong();

	private volatile BatchLog<ResourceSpans> wal;

	public TraceStore(Config config) {
		this.config = config;
	}

	/**
	 * A store persisted in {@code dataDir}, as the log store is: replays the batches an earlier process logged there
	 * (spans past the budget or retention are evicted as usual), then logs every batch before storing it. The log is
	 * flushed to the OS every second, so a kill -9 loses at most about the last second of spans.
	 */
	public static TraceStore open(Config config, Path dataDir) throws IOException {
		TraceStore store = new TraceStore(config);
		BatchLog<ResourceSpans> log = new BatchLog<>(dataDir, "trace store", ResourceSpans.parser(),
				TraceStore::spanCount, config.maxSpans());
		log.replay(store::store);
		store.wal = log;
		log.startFlusher();
		return store;
	}

	private static long spanCount(ResourceSpans resourceSpans) {
		long spans = 0;
		for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
			spans += scopeSpans.getSpansCount();
		}
		return spans;
	}

	/** Flushes and closes the append log, if any. The store stays usable in memory. */
	@Override
	public void close() {
		BatchLog<ResourceSpans> log = wal;
		wal = null;
		if (log != null) {
			log.close();
		}
	}

	/** For tests: what the flusher does every second. */
	void flush() {
		BatchLog<ResourceSpans> log = wal;
		if (log != null) {
			log.flush();
		}
	}

	@Override
	public void accept(List<ResourceSpans> batch) {
		append(batch);
	}

	/** Stores a batch as the receiver delivers it (and logs it first when persistent). */
	public void append(List<ResourceSpans> batch) {
		BatchLog<ResourceSpans> log = wal;
		if (log != null) {
			log.write(batch);
		}
		store(batch);
	}

	private void store(List<ResourceSpans> batch) {
		List<StoredSpan> decoded = new ArrayList<>();
		Map<ByteString, String> traceIds = new HashMap<>();
		for (ResourceSpans resourceSpans : batch) {
			Resource resource = resourceSpans.getResource();
			Map<String, String> resourceAttributes = AttributeValues.toMap(resource.getAttributesList());
			String service = resourceAttributes.getOrDefault("service.name", "unknown_service");
			for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
				for (Span span : scopeSpans.getSpansList()) {
					decoded.add(new StoredSpan(traceIds.computeIfAbsent(span.getTraceId(), Hex::of),
							Hex.of(span.getSpanId()),
							span.getParentSpanId().isEmpty() ? "" : Hex.of(span.getParentSpanId()), service,
							intern(span.getName()), span.getKind(), span.getStartTimeUnixNano(),
							span.getEndTimeUnixNano(), status(span.getStatus()), attributes(span.getAttributesList()),
							resourceAttributes, resource, scopeSpans.getScope(), span.toByteArray()));
				}
			}
		}
		lock.writeLock().lock();
		try {
			for (StoredSpan span : decoded) {
				StoredTrace trace = traces.get(span.traceId());
				if (trace == null) {
					trace = new StoredTrace(span.traceId());
					traces.put(span.traceId(), trace);
					arrival.addLast(trace);
					bytes += StoredTrace.overheadBytes();
				}
				trace.add(span);
				spans++;
				bytes += span.estimatedBytes();
			}
			ingested.addAndGet(decoded.size());
			evict(System.currentTimeMillis() * 1_000_000L);
		}
		finally {
			lock.writeLock().unlock();
		}
	}

	private FlatAttributes attributes(List<KeyValue> attributes) {
		if (attributes.isEmpty()) {
			return FlatAttributes.EMPTY;
		}
		String[] pairs = new String[attributes.size() * 2];
		for (int i = 0; i < attributes.size(); i++) {
			KeyValue attribute = attributes.get(i);
			pairs[2 * i] = intern(attribute.getKey());
			pairs[2 * i + 1] = intern(AttributeValues.text(attribute.getValue()));
		}
		return new FlatAttributes(pairs);
	}

	private String intern(String text) {
		return interned.intern(text);
	}

	/** 16,384 slots: the names and common values of a large deployment, 64 KB of references. */
	private final InternCache interned = new InternCache(1 << 14);

	private static int status(Status status) {
		return switch (status.getCode()) {
			case STATUS_CODE_ERROR -> StoredSpan.STATUS_ERROR;
			case STATUS_CODE_OK -> StoredSpan.STATUS_OK;
			default -> StoredSpan.STATUS_UNSET;
		};
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
			traces.remove(trace.traceId);
			spans -= trace.spans.size();
			bytes -= trace.bytes() + StoredTrace.overheadBytes();
			evicted.addAndGet(trace.spans.size());
		}
	}

	public Optional<List<StoredSpan>> trace(String traceId) {
		lock.readLock().lock();
		try {
			StoredTrace trace = traces.get(traceId);
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

	/** Attribute names seen, by scope ("resource" or "span"), sorted. */
	public Map<String, TreeSet<String>> tagNames() {
		Map<String, TreeSet<String>> names = new HashMap<>();
		names.put("resource", new TreeSet<>());
		names.put("span", new TreeSet<>());
		names.put("intrinsic", new TreeSet<>(List.of("duration", "kind", "name", "status")));
		forEachSpan(span -> {
			names.get("resource").addAll(span.resourceAttributes().keySet());
			names.get("span").addAll(span.attributes().keySet());
		});
		return names;
	}

	/** Distinct values of a tag ("service.name", "resource.service.name", "span.http.route", "name", "status"). */
	public TreeSet<String> tagValues(String tag, int limit) {
		TreeSet<String> values = new TreeSet<>();
		forEachSpan(span -> {
			if (values.size() >= limit) {
				return;
			}
			String value = switch (tag) {
				case "name" -> span.name();
				case "status" -> span.statusCode() == StoredSpan.STATUS_ERROR ? "error"
						: span.statusCode() == StoredSpan.STATUS_OK ? "ok" : "unset";
				default -> {
					if (tag.startsWith("resource.")) {
						yield span.resourceAttributes().get(tag.substring("resource.".length()));
					}
					if (tag.startsWith("span.")) {
						yield span.attributes().get(tag.substring("span.".length()));
					}
					String key = tag.startsWith(".") ? tag.substring(1) : tag;
					yield span.attributes().getOrDefault(key, span.resourceAttributes().get(key));
				}
			};
			if (value != null) {
				values.add(value);
			}
		});
		return values;
	}

	private void forEachSpan(java.util.function.Consumer<StoredSpan> action) {
		lock.readLock().lock();
		try {
			for (StoredTrace trace : arrival) {
				trace.spans.forEach(action);
			}
		}
		finally {
			lock.readLock().unlock();
		}
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

}
