package dev.vigil.launcher.infra;

import dev.vigil.launcher.LauncherException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A real PostgreSQL server from the zonky binaries artifact; its data directory is kept across restarts. */
public final class EmbeddedPostgresService implements BackingService {

	private final int port;

	private final Path dataDir;

	private EmbeddedPostgres postgres;

	public EmbeddedPostgresService(int port, Path dataDir) {
		this.port = port;
		this.dataDir = dataDir;
	}

	@Override
	public String name() {
		return "postgres";
	}

	@Override
	public synchronized void start() {
		if (postgres != null) {
			return;
		}
		try {
			Files.createDirectories(dataDir);
			postgres = EmbeddedPostgres.builder()
				.setPort(port)
				.setDataDirectory(dataDir)
				.setCleanDataDirectory(false)
				.setRegisterShutdownHook(false)
				.setPGStartupWait(Duration.ofSeconds(60))
				// Enough for seven services' pools plus tests; the default of 300 wastes shared memory.
				.setServerConfig("max_connections", "200")
				.setServerConfig("listen_addresses", "127.0.0.1")
				.start();
		}
		catch (IOException ex) {
			throw new LauncherException("PostgreSQL did not start on port " + port + " with data in " + dataDir + ": "
					+ ex.getMessage() + ". If the data directory is damaged, move it away and run again.", ex);
		}
	}

	@Override
	public synchronized void stop() {
		if (postgres == null) {
			return;
		}
		try {
			postgres.close();
		}
		catch (IOException ex) {
			throw new LauncherException("PostgreSQL did not stop cleanly: " + ex.getMessage(), ex);
		}
		finally {
			postgres = null;
		}
	}

	@Override
	public synchronized boolean running() {
		return postgres != null;
	}

	@Override
	public String address() {
		return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
	}

}
