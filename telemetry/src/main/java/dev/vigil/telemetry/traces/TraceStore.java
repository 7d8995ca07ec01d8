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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
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

	private final LinkedHashMap<String, List<StoredSpan>> traces = new LinkedHashMap<>();

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
				traces.computeIfAbsent(span.traceId(), id -> new ArrayList<>(8)).add(span);
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

	/**
	 * One instance per distinct short string (attribute names, span names, low-cardinality values): a million spans
	 * otherwise hold a million copies of "http.route". Bounded: once full, further strings stay uninterned.
	 */
	private String intern(String text) {
		if (text.length() > 64) {
			return text;
		}
		String known = interned.get(text);
		if (known != null) {
			return known;
		}
		if (interned.size() < MAX_INTERNED) {
			interned.putIfAbsent(text, text);
		}
		return text;
	}

	private static final int MAX_INTERNED = 100_000;

	private final java.util.concurrent.ConcurrentHashMap<String, String> interned = new java.util.concurrent.ConcurrentHashMap<>();

	private static int status(Status status) {
		return switch (status.getCode()) {
			case STATUS_CODE_ERROR -> StoredSpan.STATUS_ERROR;
			case STATUS_CODE_OK -> StoredSpan.STATUS_OK;
			default -> StoredSpan.STATUS_UNSET;
		};
	}

	private void evict(long nowNanos) {
		long oldestAllowed = nowNanos - config.retentionNanos();
		Iterator<Map.Entry<String, List<StoredSpan>>> oldest = traces.entrySet().iterator();
		while (oldest.hasNext()) {
			List<StoredSpan> trace = oldest.next().getValue();
			boolean overBudget = spans > config.maxSpans();
			boolean expired = trace.stream().mapToLong(StoredSpan::endNanos).max().orElse(0) < oldestAllowed;
			if (!overBudget && !expired) {
				break;
			}
			oldest.remove();
			spans -= trace.size();
			bytes -= trace.stream().mapToLong(StoredSpan::estimatedBytes).sum();
			evicted.addAndGet(trace.size());
		}
	}

	public Optional<List<StoredSpan>> trace(String traceId) {
		lock.readLock().lock();
		try {
			List<StoredSpan> trace = traces.get(traceId);
			return trace == null ? Optional.empty() : Optional.of(List.copyOf(trace));
		}
		finally {
			lock.readLock().unlock();
		}
	}

	/** Newest traces first whose spans satisfy the filter within [start, end], at most {@code limit}. */
	public List<TraceSummary> search(Predicate<StoredSpan> filter, long startNanos, long endNanos, long minDurationNanos,
			long maxDurationNanos, int limit) {
		List<TraceSummary> found = new ArrayList<>();
		lock.readLock().lock();
		try {
			List<List<StoredSpan>> newestFirst = new ArrayList<>(traces.values());
			for (int i = newestFirst.size() - 1; i >= 0 && found.size() < limit; i--) {
				List<StoredSpan> trace = newestFirst.get(i);
				long traceStart = trace.stream().mapToLong(StoredSpan::startNanos).min().orElse(0);
				long traceEnd = trace.stream().mapToLong(StoredSpan::endNanos).max().orElse(0);
				if (traceEnd < startNanos || traceStart > endNanos) {
					continue;
				}
				long duration = traceEnd - traceStart;
				if (duration < minDurationNanos || duration > maxDurationNanos) {
					continue;
				}
				List<StoredSpan> matched = trace.stream().filter(filter).toList();
				if (!matched.isEmpty()) {
					StoredSpan root = trace.stream().filter(span -> span.parentSpanId().isEmpty()).findFirst()
						.orElse(trace.stream().min(Comparator.comparingLong(StoredSpan::startNanos)).orElseThrow());
					found.add(new TraceSummary(root.traceId(), root.service(), root.name(), traceStart, traceEnd,
							matched.subList(0, Math.min(3, matched.size()))));
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
			for (List<StoredSpan> trace : traces.values()) {
				trace.forEach(action);
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
