package dev.vigil.telemetry.tsdb;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Storage settings.
 *
 * @param dataDir directory for snapshots and the append log; {@code null} keeps everything in memory only
 * @param retention how long samples are kept, relative to the newest sample (default 6h)
 * @param memoryBudgetBytes estimated heap the samples may use before the oldest chunks are dropped (default 256 MB)
 * @param snapshotInterval how often a full snapshot is written and the append log truncated (default 5m)
 */
public record StorageConfig(Path dataDir, Duration retention, long memoryBudgetBytes, Duration snapshotInterval) {

	public static final Duration DEFAULT_RETENTION = Duration.ofHours(6);

	public static final long DEFAULT_MEMORY_BUDGET = 256L * 1024 * 1024;

	public static final Duration DEFAULT_SNAPSHOT_INTERVAL = Duration.ofMinutes(5);

	public StorageConfig {
		if (retention == null) {
			retention = DEFAULT_RETENTION;
		}
		if (memoryBudgetBytes <= 0) {
			memoryBudgetBytes = DEFAULT_MEMORY_BUDGET;
		}
		if (snapshotInterval == null) {
			snapshotInterval = DEFAULT_SNAPSHOT_INTERVAL;
		}
	}

	/** Defaults, persisted under {@code dataDir}. */
	public static StorageConfig defaults(Path dataDir) {
		return new StorageConfig(dataDir, DEFAULT_RETENTION, DEFAULT_MEMORY_BUDGET, DEFAULT_SNAPSHOT_INTERVAL);
	}

	/** Defaults, without persistence. */
	public static StorageConfig inMemory() {
		return defaults(null);
	}

	/** Reads {@code VIGIL_TELEMETRY_DATA_DIR}, {@code VIGIL_TELEMETRY_RETENTION} (e.g. 6h) and
	 * {@code VIGIL_TELEMETRY_MEMORY_MB} from the environment, falling back to the defaults. */
	public static StorageConfig fromEnvironment(Path defaultDataDir) {
		String dir = System.getenv("VIGIL_TELEMETRY_DATA_DIR");
		String ret = System.getenv("VIGIL_TELEMETRY_RETENTION");
		String mem = System.getenv("VIGIL_TELEMETRY_MEMORY_MB");
		return new StorageConfig(dir != null && !dir.isBlank() ? Path.of(dir) : defaultDataDir,
				ret != null && !ret.isBlank() ? Duration.ofMillis(DurationParser.parseMillis(ret)) : DEFAULT_RETENTION,
				mem != null && !mem.isBlank() ? Long.parseLong(mem.trim()) * 1024 * 1024 : DEFAULT_MEMORY_BUDGET,
				DEFAULT_SNAPSHOT_INTERVAL);
	}

}
