package dev.vigil.telemetry.wal;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persistence of a bounded store (logs, spans): an append log of the batches as received (length-delimited OTLP
 * messages such as {@code ResourceLogs} or {@code ResourceSpans}; spans are written as the bytes received, see
 * {@link #writeRaw}), in numbered segment files. The store is bounded
 * by an item budget, so the log is too: once the segments after the oldest one hold a full budget of items, the
 * oldest segment can no longer contribute a live item and is deleted. Replaying the remaining segments through the
 * store's own append (with its eviction) restores it, which is why no separate snapshot format is needed. Writes are
 * buffered and flushed to the OS every second, so a kill -9 loses at most about a second (the last second's
 * batches, plus one not yet written when the process died); a torn last record is cut off on replay. No fsync: the
 * goal, as for the metrics store, is surviving process crashes cheaply, not power loss.
 *
 * @param <M> one received batch element, e.g. {@code ResourceSpans}
 */
public final class BatchLog<M extends MessageLite> implements Closeable {

	private static final Logger log = LoggerFactory.getLogger(BatchLog.class);

	private static final String SUFFIX = ".wal";

	private record Segment(Path path, long records) {

	}

	private final Path dir;

	private final String name;

	private final Parser<M> parser;

	private final ToLongFunction<M> itemCount;

	private final long recordsPerSegment;

	private final long keepRecords;

	/** Closed segments, oldest first, with their record counts. */
	private final Deque<Segment> closed = new ArrayDeque<>();

	private long closedRecords;

	private long nextNumber;

	private Path current;

	private OutputStream out;

	private long currentRecords;

	private final AtomicLong writeErrors = new AtomicLong();

	private ScheduledExecutorService flusher;

	/**
	 * @param name what is logged, for thread names and messages (e.g. "log store")
	 * @param parser reads one batch element
	 * @param itemCount items (records, spans) in one batch element
	 * @param keepRecords the store's item budget: segments older than that many items are deleted
	 */
	public BatchLog(Path dir, String name, Parser<M> parser, ToLongFunction<M> itemCount, long keepRecords)
			throws IOException {
		this.dir = Files.createDirectories(dir);
		this.name = name;
		this.parser = parser;
		this.itemCount = itemCount;
		this.keepRecords = keepRecords;
		this.recordsPerSegment = Math.max(1, keepRecords / 4);
	}

	/**
	 * A log of records the caller serializes itself (see {@link #writeRaw}) and decodes on {@link #replayRaw}; the
	 * typed {@link #write} and {@link #replay} are then unavailable.
	 */
	public static BatchLog<MessageLite> raw(Path dir, String name, long keepRecords) throws IOException {
		return new BatchLog<>(dir, name, null, null, keepRecords);
	}

	/** Decodes one record on replay and says how many items it held. */
	@FunctionalInterface
	public interface RecordReader {

		/** @throws IOException when the record cannot be decoded: it is then treated as the torn end of the log */
		long read(byte[] record) throws IOException;

	}

	/** Feeds every stored batch, oldest first, to {@code sink}; then opens a fresh segment for writing. */
	public void replay(Consumer<List<M>> sink) throws IOException {
		replayRaw(record -> {
			M batch = parser.parseFrom(record);
			sink.accept(List.of(batch));
			return itemCount.applyAsLong(batch);
		});
	}

	/** Feeds every stored record, oldest first, to {@code reader}; then opens a fresh segment for writing. */
	public synchronized void replayRaw(RecordReader reader) throws IOException {
		List<Path> files;
		try (Stream<Path> list = Files.list(dir)) {
			files = list.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).sorted().toList();
		}
		for (Path file : files) {
			long records = 0;
			long good = 0;
			boolean torn = false;
			try (CountingInputStream in = new CountingInputStream(
					new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
				while (true) {
					int first = in.read();
					if (first < 0) {
						break;
					}
					try {
						int length = CodedInputStream.readRawVarint32(first, in);
						if (length < 0) {
							throw new IOException("negative record length " + length);
						}
						byte[] record = in.readNBytes(length);
						if (record.length < length) {
							throw new EOFException("record of " + length + " bytes cut at " + record.length);
						}
						records += reader.read(record);
					}
					catch (IOException cut) { // the tail of a write cut by a crash
						log.warn("dropping the torn end of {} after byte {}: {}", file, good, cut.getMessage());
						torn = true;
						break;
					}
					good = in.count;
				}
			}
			if (torn) { // so the next start does not meet it again
				try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
					channel.truncate(good);
				}
			}
			closed.add(new Segment(file, records));
			closedRecords += records;
			nextNumber = Math.max(nextNumber, number(file) + 1);
		}
		trim();
		openSegment();
	}

	/** Counts the bytes the parser consumed: the end of the last whole record. */
	private static final class CountingInputStream extends FilterInputStream {

		long count;

		CountingInputStream(InputStream in) {
			super(in);
		}

		@Override
		public int read() throws IOException {
			int b = super.read();
			if (b >= 0) {
				count++;
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n = super.read(buffer, offset, length);
			if (n > 0) {
				count += n;
			}
			return n;
		}

		@Override
		public long skip(long n) throws IOException {
			long skipped = super.skip(n);
			count += skipped;
			return skipped;
		}

	}

	private static long number(Path file) {
		String name = file.getFileName().toString();
		try {
			return Long.parseLong(name.substring(0, name.length() - SUFFIX.length()));
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

	private void openSegment() throws IOException {
		current = dir.resolve(String.format("%016d%s", nextNumber++, SUFFIX));
		out = new BufferedOutputStream(Files.newOutputStream(current, StandardOpenOption.CREATE_NEW), 1 << 16);
		currentRecords = 0;
	}

	/** Appends a batch; I/O failures are logged and counted, never thrown at the ingest path. */
	public synchronized void write(List<? extends M> batch) {
		if (out == null) {
			return;
		}
		try {
			for (M element : batch) {
				element.writeDelimitedTo(out);
				currentRecords += itemCount.applyAsLong(element);
			}
			rollIfFull();
		}
		catch (IOException ex) {
			writeFailed(ex);
		}
	}

	/**
	 * Appends records given as byte ranges of {@code buf} (e.g. the {@code ResourceSpans} of a received request,
	 * written as they arrived): {@code ranges} holds offset, length and item count of each, {@code count} of them.
	 */
	public synchronized void writeRaw(byte[] buf, int[] ranges, int count) {
		if (out == null) {
			return;
		}
		try {
			for (int i = 0; i < count; i++) {
				int length = ranges[3 * i + 1];
				int value = length;
				while ((value & ~0x7f) != 0) { // the length as a varint, as writeDelimitedTo writes it
					out.write(value & 0x7f | 0x80);
					value >>>= 7;
				}
				out.write(value);
				out.write(buf, ranges[3 * i], length);
				currentRecords += ranges[3 * i + 2];
			}
			rollIfFull();
		}
		catch (IOException ex) {
			writeFailed(ex);
		}
	}

	private void rollIfFull() throws IOException {
		if (currentRecords >= recordsPerSegment) {
			out.close();
			closed.add(new Segment(current, currentRecords));
			closedRecords += currentRecords;
			trim();
			openSegment();
		}
	}

	private void writeFailed(IOException ex) {
		if (writeErrors.getAndIncrement() == 0) {
			log.warn("cannot write the {}'s append log in {}: {}", name, dir, ex.toString());
		}
	}

	/** Deletes the oldest segments while the newer ones already hold the whole budget. */
	private void trim() {
		while (!closed.isEmpty() && closedRecords - closed.peekFirst().records() >= keepRecords) {
			Segment oldest = closed.pollFirst();
			closedRecords -= oldest.records();
			try {
				Files.deleteIfExists(oldest.path());
			}
			catch (IOException ex) {
				log.warn("cannot delete {}: {}", oldest.path(), ex.toString());
			}
		}
	}

	public synchronized void flush() {
		if (out != null) {
			try {
				out.flush();
			}
			catch (IOException ex) {
				writeErrors.incrementAndGet();
			}
		}
	}

	/** Flushes to the OS every second: what bounds the loss on kill -9. */
	public void startFlusher() {
		flusher = Executors.newSingleThreadScheduledExecutor(runnable -> {
			Thread thread = new Thread(runnable, name.replace(' ', '-') + "-wal-flush");
			thread.setDaemon(true);
			return thread;
		});
		flusher.scheduleWithFixedDelay(this::flush, 1, 1, TimeUnit.SECONDS);
	}

	public long writeErrors() {
		return writeErrors.get();
	}

	/** Segment files on disk, for tests. */
	public synchronized List<Path> segments() {
		List<Path> all = new ArrayList<>(closed.stream().map(Segment::path).toList());
		if (current != null) {
			all.add(current);
		}
		return all;
	}

	@Override
	public synchronized void close() {
		if (flusher != null) {
			flusher.shutdownNow();
		}
		if (out != null) {
			try {
				out.close();
			}
			catch (IOException ex) {
				log.warn("cannot close {}: {}", current, ex.toString());
			}
			out = null;
		}
	}

}
