package dev.vigil.telemetry.logs;

import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
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
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persistence of the log store: an append log of the batches as received (length-delimited OTLP
 * {@code ResourceLogs}), in numbered segment files. The store is bounded by its record budget, so the log is too:
 * once the segments after the oldest one hold a full budget of records, the oldest segment can no longer contribute
 * a live record and is deleted. Replaying the remaining segments through the store's own append (with its eviction)
 * restores it, which is why no separate snapshot format is needed. Writes are buffered and flushed to the OS every
 * second, so a kill -9 loses at most about a second; a torn last record is cut off on replay.
 */
final class LogWal implements Closeable {

	private static final Logger log = LoggerFactory.getLogger(LogWal.class);

	private static final String SUFFIX = ".wal";

	private record Segment(Path path, long records) {

	}

	private final Path dir;

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
	 * @param keepRecords the store's record budget: segments older than that many records are deleted
	 */
	LogWal(Path dir, long keepRecords) throws IOException {
		this.dir = Files.createDirectories(dir);
		this.keepRecords = keepRecords;
		this.recordsPerSegment = Math.max(1, keepRecords / 4);
	}

	/** Feeds every stored batch, oldest first, to {@code sink}; then opens a fresh segment for writing. */
	synchronized void replay(Consumer<List<ResourceLogs>> sink) throws IOException {
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
					ResourceLogs logs;
					try {
						logs = ResourceLogs.parseDelimitedFrom(in);
					}
					catch (IOException cut) { // the tail of a write cut by a crash
						log.warn("dropping the torn end of {} after byte {}: {}", file, good, cut.getMessage());
						torn = true;
						break;
					}
					if (logs == null) {
						break;
					}
					good = in.count;
					sink.accept(List.of(logs));
					records += count(logs);
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
	synchronized void write(List<ResourceLogs> batch) {
		if (out == null) {
			return;
		}
		try {
			for (ResourceLogs logs : batch) {
				logs.writeDelimitedTo(out);
				currentRecords += count(logs);
			}
			if (currentRecords >= recordsPerSegment) {
				out.close();
				closed.add(new Segment(current, currentRecords));
				closedRecords += currentRecords;
				trim();
				openSegment();
			}
		}
		catch (IOException ex) {
			if (writeErrors.getAndIncrement() == 0) {
				log.warn("cannot write the log store's append log in {}: {}", dir, ex.toString());
			}
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

	private static long count(ResourceLogs logs) {
		long records = 0;
		for (ScopeLogs scope : logs.getScopeLogsList()) {
			records += scope.getLogRecordsCount();
		}
		return records;
	}

	synchronized void flush() {
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
	void startFlusher() {
		flusher = Executors.newSingleThreadScheduledExecutor(runnable -> {
			Thread thread = new Thread(runnable, "log-store-wal-flush");
			thread.setDaemon(true);
			return thread;
		});
		flusher.scheduleWithFixedDelay(this::flush, 1, 1, TimeUnit.SECONDS);
	}

	long writeErrors() {
		return writeErrors.get();
	}

	/** Segment files on disk, for tests. */
	synchronized List<Path> segments() {
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
