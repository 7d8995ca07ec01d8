package dev.vigil.telemetry.logs;

import com.google.protobuf.ByteString;
import dev.vigil.telemetry.receiver.LogSink;
import dev.vigil.telemetry.traces.AttributeValues;
import dev.vigil.telemetry.traces.Hex;
import dev.vigil.telemetry.wal.BatchLog;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * OTLP log records in arrival order, in column segments ({@link LogSegment}), bounded by a record budget and a
 * retention time: the oldest records are evicted first and counted. Streams (index labels) are interned; a trace-id
 * index finds the logs of a trace without a scan. Ingest decodes and encodes outside the lock and takes the write
 * lock only to place records; queries share the read lock.
 */
public final class LogStore implements LogSink {

	/**
	 * @param maxRecords the record budget; over it the oldest records are evicted
	 * @param retentionNanos records older than this (by their timestamp, oldest arrival first) are evicted
	 */
	public record Config(long maxRecords, long retentionNanos) {

		public Config {
			if (maxRecords < 1 || retentionNanos < 1) {
				throw new IllegalArgumentException("maxRecords and retention must be positive");
			}
		}

		public static Config defaults() {
			return new Config(1_000_000, 6L * 3600 * 1_000_000_000L);
		}

	}

	private static final HexFormat HEX = HexFormat.of();

	private final Config config;

	private final LongSupplier clockNanos;

	private final RecordCodec codec = new RecordCodec();

	private final StreamTable streams = new StreamTable();

	private final TraceIndex traceIndex = new TraceIndex();

	private final Map<String, String> sanitizedNames = new java.util.concurrent.ConcurrentHashMap<>();

	private final ArrayList<LogSegment> segments = new ArrayList<>();

	private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

	/** Sequence number of the oldest live record and of the next one. */
	private long firstSeq;

	private long nextSeq;

	private long payloadBytes;

	private final AtomicLong ingested = new AtomicLong();

	private final AtomicLong evicted = new AtomicLong();

	public LogStore(Config config) {
		this(config, () -> System.currentTimeMillis() * 1_000_000L);
	}

	LogStore(Config config, LongSupplier clockNanos) {
		this.config = config;
		this.clockNanos = clockNanos;
	}

	/** A decoded record waiting for the write lock. */
	private record Pending(long time, Map<String, String> labels, String[] resourceMetadata, long traceHi, long traceLo,
			long spanId, byte severity, byte[] payload) {

	}

	private volatile BatchLog<ResourceLogs> wal;

	/**
	 * A store persisted in {@code dataDir}: replays what an earlier process stored there (records past the budget or
	 * retention are evicted as usual), then logs every batch; a kill -9 loses at most about the last second.
	 */
	public static LogStore open(Config config, Path dataDir) throws IOException {
		LogStore store = new LogStore(config);
		store.persistTo(dataDir);
		return store;
	}

	void persistTo(Path dataDir) throws IOException {
		BatchLog<ResourceLogs> log = new BatchLog<>(dataDir, "log store", ResourceLogs.parser(), LogStore::recordCount,
				config.maxRecords());
		log.replay(this::store);
		wal = log;
		log.startFlusher();
	}

	/** Flushes and closes the append log, if any. The store stays usable in memory. */
	public void close() {
		BatchLog<ResourceLogs> log = wal;
		wal = null;
		if (log != null) {
			log.close();
		}
	}

	/** For tests: what the flusher does every second. */
	void flush() {
		BatchLog<ResourceLogs> log = wal;
		if (log != null) {
			log.flush();
		}
	}

	BatchLog<ResourceLogs> wal() {
		return wal;
	}

	@Override
	public void accept(List<ResourceLogs> logs) {
		append(logs);
	}

	/** Stores a batch as the receiver delivers it (and logs it first when persistent). */
	public void append(List<ResourceLogs> batch) {
		BatchLog<ResourceLogs> log = wal;
		if (log != null) {
			log.write(batch);
		}
		store(batch);
	}

	private void store(List<ResourceLogs> batch) {
		long now = clockNanos.getAsLong();
		List<Pending> pending = new ArrayList<>();
		for (ResourceLogs resourceLogs : batch) {
			List<KeyValue> resourceAttributes = resourceLogs.getResource().getAttributesList();
			Map<String, String> resource = AttributeValues.toMap(resourceAttributes);
			String[] resourceMetadata = OtlpLogMapping.resourceMetadata(resourceAttributes);
			// one labels instance per (resource, level): place() interns streams by its identity
			Map<String, Map<String, String>> labelsByLevel = new HashMap<>(4);
			Map<String, Map<String, String>> labelsBySeverity = new HashMap<>(8);
			for (ScopeLogs scopeLogs : resourceLogs.getScopeLogsList()) {
				for (LogRecord record : scopeLogs.getLogRecordsList()) {
					String severity = record.getSeverityText().isEmpty() ? "#" + record.getSeverityNumberValue()
							: record.getSeverityText();
					Map<String, String> labels = labelsBySeverity.get(severity);
					if (labels == null) {
						String level = OtlpLogMapping.level(record.getSeverityText(), record.getSeverityNumberValue());
						labels = labelsByLevel.computeIfAbsent(level, l -> OtlpLogMapping.streamLabels(resource, l));
						labelsBySeverity.put(severity, labels);
					}
					pending.add(decode(record, now, labels, resourceMetadata));
				}
			}
		}
		Map<Map<String, String>, StreamEntry> interned = new IdentityHashMap<>();
		lock.writeLock().lock();
		try {
			for (Pending record : pending) {
				place(record, interned);
				while (nextSeq - firstSeq > config.maxRecords()) {
					evictOldest();
				}
			}
			ingested.addAndGet(pending.size());
			evictExpired(now);
		}
		finally {
			lock.writeLock().unlock();
		}
	}

	private Pending decode(LogRecord record, long now, Map<String, String> labels, String[] resourceMetadata) {
		// OTLP: time_unix_nano may be unset; then the observed time, then arrival.
		long time = record.getTimeUnixNano() != 0 ? record.getTimeUnixNano()
				: record.getObservedTimeUnixNano() != 0 ? record.getObservedTimeUnixNano() : now;
		List<String> pairs = new ArrayList<>(record.getAttributesCount() * 2 + 2);
		for (KeyValue attribute : record.getAttributesList()) {
			String value = AttributeValues.text(attribute.getValue());
			if (!value.isEmpty()) {
				pairs.add(sanitized(attribute.getKey()));
				pairs.add(value);
			}
		}
		if (!record.getSeverityText().isEmpty()) {
			pairs.add("severity_text");
			pairs.add(record.getSeverityText());
		}
		byte[] payload = codec.encode(OtlpLogMapping.body(record.getBody()), pairs);
		ByteString traceId = record.getTraceId();
		long hi = 0;
		long lo = 0;
		if (traceId.size() == 16) {
			hi = longAt(traceId, 0);
			lo = longAt(traceId, 8);
		}
		ByteString spanId = record.getSpanId();
		long span = spanId.size() == 8 ? longAt(spanId, 0) : 0;
		int severity = Math.max(0, Math.min(127, record.getSeverityNumberValue()));
		return new Pending(time, labels, resourceMetadata, hi, lo, span, (byte) severity, payload);
	}

	private static long recordCount(ResourceLogs logs) {
		long records = 0;
		for (ScopeLogs scope : logs.getScopeLogsList()) {
			records += scope.getLogRecordsCount();
		}
		return records;
	}

	private static long longAt(ByteString bytes, int offset) {
		long value = 0;
		for (int i = 0; i < 8; i++) {
			value = (value << 8) | (bytes.byteAt(offset + i) & 0xff);
		}
		return value;
	}

	/** Attribute name → label name, cached (bounded: hostile senders get the uncached path). */
	private String sanitized(String key) {
		String name = sanitizedNames.get(key);
		if (name == null) {
			name = OtlpLogMapping.sanitize(key);
			if (sanitizedNames.size() < 10_000) {
				sanitizedNames.put(key, name);
			}
		}
		return name;
	}

	private void place(Pending record, Map<Map<String, String>, StreamEntry> interned) {
		LogSegment tail = segments.isEmpty() ? null : segments.get(segments.size() - 1);
		if (tail == null || tail.full()) {
			tail = new LogSegment(nextSeq);
			segments.add(tail);
		}
		// hashing the labels per record is the costliest part of placing; one lookup per labels instance and batch
		// suffices, unless eviction dropped the entry meanwhile
		StreamEntry stream = interned.get(record.labels());
		if (stream == null || !streams.isLive(stream)) {
			stream = streams.intern(record.labels(), record.resourceMetadata());
			interned.put(record.labels(), stream);
		}
		stream.records++;
		stream.minTime = Math.min(stream.minTime, record.time());
		stream.maxTime = Math.max(stream.maxTime, record.time());
		int slot = tail.size++;
		tail.time[slot] = record.time();
		tail.stream[slot] = stream.id;
		tail.traceHi[slot] = record.traceHi();
		tail.traceLo[slot] = record.traceLo();
		tail.spanId[slot] = record.spanId();
		tail.severity[slot] = record.severity();
		tail.payload[slot] = record.payload();
		tail.minTime = Math.min(tail.minTime, record.time());
		tail.maxTime = Math.max(tail.maxTime, record.time());
		if ((record.traceHi() | record.traceLo()) != 0) {
			traceIndex.add(record.traceHi(), record.traceLo(), nextSeq);
		}
		payloadBytes += record.payload().length;
		nextSeq++;
	}

	private void evictOldest() {
		LogSegment head = segments.get(0);
		int slot = (int) (firstSeq - head.base);
		streams.release(head.stream[slot]);
		if ((head.traceHi[slot] | head.traceLo[slot]) != 0) {
			traceIndex.evicted(head.traceHi[slot], head.traceLo[slot], firstSeq);
		}
		payloadBytes -= head.payload[slot].length;
		head.payload[slot] = null;
		firstSeq++;
		evicted.incrementAndGet();
		if (slot == LogSegment.CAPACITY - 1) {
			segments.remove(0);
		}
	}

	/** Evicts records past retention (oldest arrivals first); queries call it so an idle store still ages. */
	public void evictExpired() {
		long now = clockNanos.getAsLong();
		// most calls find nothing to do: check under the shared lock so queries do not queue behind a writer
		boolean due = read(() -> firstSeq < nextSeq
				&& segments.get(0).time[(int) (firstSeq - segments.get(0).base)] < now - config.retentionNanos());
		if (!due) {
			return;
		}
		lock.writeLock().lock();
		try {
			evictExpired(now);
		}
		finally {
			lock.writeLock().unlock();
		}
	}

	private void evictExpired(long now) {
		long oldestAllowed = now - config.retentionNanos();
		while (firstSeq < nextSeq) {
			LogSegment head = segments.get(0);
			if (head.time[(int) (firstSeq - head.base)] >= oldestAllowed) {
				break;
			}
			evictOldest();
		}
	}

	// ---- reads -------------------------------------------------------------------------------------------------

	/** Records of a trace (32 hex digits, shorter ids are left-padded), oldest first; empty if none. */
	public List<LogEntry> trace(String traceId) {
		return span(traceId, null);
	}

	/** Records of one span of a trace, oldest first; {@code spanId} null means all spans. */
	public List<LogEntry> span(String traceId, String spanId) {
		String id = Hex.normalizeTraceId(traceId);
		long hi = Long.parseUnsignedLong(id.substring(0, 16), 16);
		long lo = Long.parseUnsignedLong(id.substring(16), 16);
		long span = 0;
		if (spanId != null) {
			if (spanId.length() != 16 || !spanId.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
				throw new IllegalArgumentException("span id \"" + spanId + "\" is not 16 hex digits");
			}
			span = Long.parseUnsignedLong(spanId, 16);
		}
		List<LogEntry> found = new ArrayList<>();
		lock.readLock().lock();
		try {
			TraceIndex.Seqs seqs = traceIndex.get(hi, lo);
			if (seqs == null) {
				return found;
			}
			for (int i = 0; i < seqs.size; i++) {
				long seq = seqs.get(i);
				LogSegment segment = segmentOf(seq);
				int slot = (int) (seq - segment.base);
				if (spanId == null || segment.spanId[slot] == span) {
					found.add(entry(segment, slot));
				}
			}
		}
		finally {
			lock.readLock().unlock();
		}
		found.sort(Comparator.comparingLong(LogEntry::timeNanos));
		return found;
	}

	private LogSegment segmentOf(long seq) {
		return segments.get((int) ((seq - segments.get(0).base) / LogSegment.CAPACITY));
	}

	/** Visits live records under the read lock; see {@link #read}. */
	interface RecordVisitor {

		/** Whether to look into a segment whose records lie in [minTime, maxTime]. */
		default boolean segment(long minTime, long maxTime) {
			return true;
		}

		/** Returns false to stop the scan. */
		boolean record(LogSegment segment, int slot);

	}

	/** Must run inside {@link #read}. */
	void scan(boolean newestFirst, RecordVisitor visitor) {
		int count = segments.size();
		for (int s = 0; s < count; s++) {
			LogSegment segment = segments.get(newestFirst ? count - 1 - s : s);
			if (!visitor.segment(segment.minTime, segment.maxTime)) {
				continue;
			}
			int from = (int) Math.max(0, firstSeq - segment.base);
			int to = segment.size;
			if (newestFirst) {
				for (int i = to - 1; i >= from; i--) {
					if (!visitor.record(segment, i)) {
						return;
					}
				}
			}
			else {
				for (int i = from; i < to; i++) {
					if (!visitor.record(segment, i)) {
						return;
					}
				}
			}
		}
	}

	/** Runs a query under the read lock. */
	<T> T read(Supplier<T> query) {
		lock.readLock().lock();
		try {
			return query.get();
		}
		finally {
			lock.readLock().unlock();
		}
	}

	/** Must run inside {@link #read}. */
	StreamEntry stream(int id) {
		return streams.get(id);
	}

	/** Live streams; must run inside {@link #read}. */
	List<StreamEntry> streams() {
		return streams.live();
	}

	/** Upper bound of stream ids, for per-query caches; must run inside {@link #read}. */
	int streamIdBound() {
		return streams.capacity();
	}

	/** Structured metadata of a record, in Loki's names. Must run inside {@link #read}. */
	void metadata(LogSegment segment, int slot, BiConsumer<String, String> action) {
		String[] resource = streams.get(segment.stream[slot]).resourceMetadata;
		for (int i = 0; i < resource.length; i += 2) {
			action.accept(resource[i], resource[i + 1]);
		}
		codec.metadata(segment.payload[slot], action);
		if ((segment.traceHi[slot] | segment.traceLo[slot]) != 0) {
			action.accept("trace_id", traceHex(segment, slot));
		}
		if (segment.spanId[slot] != 0) {
			action.accept("span_id", HEX.toHexDigits(segment.spanId[slot]));
		}
		if (segment.severity[slot] != 0) {
			action.accept("severity_number", Integer.toString(segment.severity[slot]));
		}
	}

	private static String traceHex(LogSegment segment, int slot) {
		return HEX.toHexDigits(segment.traceHi[slot]) + HEX.toHexDigits(segment.traceLo[slot]);
	}

	/** Must run inside {@link #read}. */
	LogEntry entry(LogSegment segment, int slot) {
		Map<String, String> metadata = new TreeMap<>();
		metadata(segment, slot, metadata::put);
		boolean traced = (segment.traceHi[slot] | segment.traceLo[slot]) != 0;
		return new LogEntry(segment.time[slot], streams.get(segment.stream[slot]).labels, metadata,
				RecordCodec.line(segment.payload[slot]), traced ? traceHex(segment, slot) : "",
				segment.spanId[slot] != 0 ? HEX.toHexDigits(segment.spanId[slot]) : "", segment.severity[slot]);
	}

	// ---- accounting --------------------------------------------------------------------------------------------

	public long recordCount() {
		return read(() -> nextSeq - firstSeq);
	}

	public long ingestedRecords() {
		return ingested.get();
	}

	public long evictedRecords() {
		return evicted.get();
	}

	/** Failed writes to the append log (0 in memory): batches that a restart would not restore. */
	public long walWriteErrors() {
		BatchLog<ResourceLogs> log = wal;
		return log == null ? 0 : log.writeErrors();
	}

	/** Estimated heap bytes: columns (whole segments), payload arrays, streams and the trace index. */
	public long estimatedBytes() {
		return read(() -> {
			long columns = (long) segments.size() * LogSegment.CAPACITY * LogSegment.COLUMN_BYTES;
			long payloads = payloadBytes + (nextSeq - firstSeq) * 16;
			long index = traceIndex.traces() * 96L + (nextSeq - firstSeq) * 8;
			long streamBytes = streams.size() * 512L;
			return columns + payloads + index + streamBytes;
		});
	}

	public Config config() {
		return config;
	}

	/** Counts for self-monitoring and tests. */
	public Map<String, Long> stats() {
		return read(() -> {
			Map<String, Long> stats = new LinkedHashMap<>();
			stats.put("records", nextSeq - firstSeq);
			stats.put("streams", (long) streams.size());
			stats.put("traces", (long) traceIndex.traces());
			stats.put("ingested", ingested.get());
			stats.put("evicted", evicted.get());
			return stats;
		});
	}

}
