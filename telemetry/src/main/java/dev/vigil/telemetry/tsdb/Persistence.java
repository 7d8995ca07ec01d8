package dev.vigil.telemetry.tsdb;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durability for the head: a periodic snapshot of all chunks plus an append log of samples since the last snapshot.
 * The log is flushed to the OS every second, so a killed process loses at most about that much (no fsync per
 * sample: the goal is surviving process crashes cheaply, not power loss).
 *
 * <p>Snapshot protocol: rotate the log (wal → wal.prev), write the snapshot to a temporary file and rename it into
 * place, then delete wal.prev. Recovery loads the snapshot and replays wal.prev and wal; samples the snapshot already
 * holds are rejected as duplicates, which makes replay idempotent.
 */
final class Persistence {

	private static final Logger log = LoggerFactory.getLogger(Persistence.class);

	private static final int SNAPSHOT_MAGIC = 0x56544442; // "VTDB"

	private static final int VERSION = 1;

	private static final byte REC_SERIES = 1;

	private static final byte REC_SAMPLE = 2;

	private final Storage storage;
	private final Path dir;
	private final Path snapshotFile;
	private final Path walFile;
	private final Path prevWalFile;
	private final ScheduledExecutorService scheduler;
	private final Object walLock = new Object();
	private final Object snapshotLock = new Object();
	private DataOutputStream wal;
	private Map<Labels, Integer> walIds = new HashMap<>();
	private volatile boolean closed;

	private Persistence(Storage storage, Path dir) {
		this.storage = storage;
		this.dir = dir;
		this.snapshotFile = dir.resolve("snapshot.bin");
		this.walFile = dir.resolve("wal.log");
		this.prevWalFile = dir.resolve("wal.prev.log");
		this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, "vigil-tsdb-persistence");
			t.setDaemon(true);
			return t;
		});
	}

	static Persistence open(Storage storage, StorageConfig config) throws IOException {
		Files.createDirectories(config.dataDir());
		Persistence p = new Persistence(storage, config.dataDir());
		p.recover();
		p.openWal();
		p.scheduler.scheduleWithFixedDelay(p::flushQuietly, 1, 1, TimeUnit.SECONDS);
		long every = config.snapshotInterval().toMillis();
		p.scheduler.scheduleWithFixedDelay(p::snapshotQuietly, every, every, TimeUnit.MILLISECONDS);
		return p;
	}

	private void recover() throws IOException {
		long series = 0;
		if (Files.exists(snapshotFile)) {
			try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(snapshotFile)))) {
				series = readSnapshot(in);
			}
			catch (IOException e) {
				log.warn("ignoring unreadable snapshot {}: {}", snapshotFile, e.toString());
			}
		}
		long replayed = replay(prevWalFile) + replay(walFile);
		storage.resetCounters();
		storage.maintain();
		log.info("recovered {} series from snapshot and {} logged samples from {}", series, replayed, dir);
	}

	private long readSnapshot(DataInputStream in) throws IOException {
		if (in.readInt() != SNAPSHOT_MAGIC || in.readInt() != VERSION) {
			throw new IOException("not a vigil snapshot");
		}
		long n = in.readLong();
		for (long i = 0; i < n; i++) {
			Labels labels = readLabels(in);
			int chunks = in.readInt();
			for (int c = 0; c < chunks; c++) {
				int count = in.readInt();
				byte[] data = new byte[in.readInt()];
				in.readFully(data);
				XorChunk.decode(data, count, (t, v) -> storage.appendInternal(labels, t, v));
			}
		}
		return n;
	}

	private long replay(Path file) throws IOException {
		if (!Files.exists(file)) {
			return 0;
		}
		long n = 0;
		Map<Integer, Labels> ids = new HashMap<>();
		try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
			while (true) {
				byte type = in.readByte();
				if (type == REC_SERIES) {
					int id = in.readInt();
					ids.put(id, readLabels(in));
				}
				else if (type == REC_SAMPLE) {
					Labels l = ids.get(in.readInt());
					long t = in.readLong();
					double v = Double.longBitsToDouble(in.readLong());
					if (l != null) {
						storage.appendInternal(l, t, v);
						n++;
					}
				}
				else {
					break;
				}
			}
		}
		catch (EOFException e) {
			// a torn last record after a crash; everything before it is intact
		}
		return n;
	}

	private void openWal() throws IOException {
		OutputStream os = Files.newOutputStream(walFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		wal = new DataOutputStream(new BufferedOutputStream(os, 1 << 16));
		walIds = new HashMap<>();
	}

	void log(Labels labels, long t, double v) {
		synchronized (walLock) {
			if (wal == null) {
				return;
			}
			try {
				Integer id = walIds.get(labels);
				if (id == null) {
					id = walIds.size() + 1;
					walIds.put(labels, id);
					wal.writeByte(REC_SERIES);
					wal.writeInt(id);
					writeLabels(wal, labels);
				}
				wal.writeByte(REC_SAMPLE);
				wal.writeInt(id);
				wal.writeLong(t);
				wal.writeLong(Double.doubleToRawLongBits(v));
			}
			catch (IOException e) {
				log.warn("append log write failed: {}", e.toString());
			}
		}
	}

	void flush() throws IOException {
		synchronized (walLock) {
			if (wal != null) {
				wal.flush();
			}
		}
	}

	private void flushQuietly() {
		try {
			flush();
		}
		catch (IOException e) {
			log.warn("append log flush failed: {}", e.toString());
		}
	}

	private void snapshotQuietly() {
		try {
			snapshot();
		}
		catch (IOException | RuntimeException e) {
			log.warn("snapshot failed: {}", e.toString());
		}
	}

	void snapshot() throws IOException {
		synchronized (snapshotLock) {
			synchronized (walLock) {
				if (wal == null) {
					return;
				}
				wal.close();
				// an earlier failed snapshot may have left wal.prev: keep its samples by appending to it
				if (Files.exists(prevWalFile)) {
					try (InputStream in = Files.newInputStream(walFile);
							OutputStream out = Files.newOutputStream(prevWalFile, StandardOpenOption.APPEND)) {
						in.transferTo(out);
					}
					Files.delete(walFile);
				}
				else {
					Files.move(walFile, prevWalFile, StandardCopyOption.ATOMIC_MOVE);
				}
				openWal();
			}
			Path tmp = dir.resolve("snapshot.tmp");
			try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
				List<MemSeries> all = List.copyOf(storage.allSeries());
				out.writeInt(SNAPSHOT_MAGIC);
				out.writeInt(VERSION);
				out.writeLong(all.size());
				for (MemSeries s : all) {
					writeLabels(out, s.labels);
					List<MemSeries.ChunkImage> chunks = s.chunkImages();
					out.writeInt(chunks.size());
					for (MemSeries.ChunkImage c : chunks) {
						out.writeInt(c.count());
						out.writeInt(c.data().length);
						out.write(c.data());
					}
				}
			}
			Files.move(tmp, snapshotFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			Files.deleteIfExists(prevWalFile);
		}
	}

	void close() {
		if (closed) {
			return;
		}
		closed = true;
		scheduler.shutdown();
		try {
			scheduler.awaitTermination(10, TimeUnit.SECONDS);
			snapshot();
		}
		catch (IOException e) {
			log.warn("final snapshot failed: {}", e.toString());
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		synchronized (walLock) {
			try {
				if (wal != null) {
					wal.close();
				}
			}
			catch (IOException e) {
				log.warn("closing append log failed: {}", e.toString());
			}
			wal = null;
		}
	}

	private static void writeLabels(DataOutputStream out, Labels l) throws IOException {
		out.writeShort(l.size());
		for (int i = 0; i < l.size(); i++) {
			out.writeUTF(l.name(i));
			out.writeUTF(l.value(i));
		}
	}

	private static Labels readLabels(DataInputStream in) throws IOException {
		int n = in.readUnsignedShort();
		Labels.Builder b = Labels.builder();
		for (int i = 0; i < n; i++) {
			b.set(in.readUTF(), in.readUTF());
		}
		return b.build();
	}

}
