package dev.vigil.launcher.infra;

import dev.vigil.launcher.LauncherException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import redis.embedded.RedisServer;

/** A real Redis server from the binaries inside the embedded-redis artifact. It is a cache: no persistence. */
public final class EmbeddedRedisService implements BackingService {

	private final int port;

	private final Path workDir;

	private RedisServer redis;

	public EmbeddedRedisService(int port, Path workDir) {
		this.port = port;
		this.workDir = workDir;
	}

	@Override
	public String name() {
		return "redis";
	}

	@Override
	public synchronized void start() {
		if (redis != null) {
			return;
		}
		try {
			Files.createDirectories(workDir);
			RedisServer server = RedisServer.newRedisServer()
				.port(port)
				.bind("127.0.0.1")
				.setting("dir " + workDir.toAbsolutePath())
				.setting("save \"\"")
				.setting("appendonly no")
				// Bounded like every store in Vigil: evict least-recently-used keys past 64 MB.
				.setting("maxmemory 64mb")
				.setting("maxmemory-policy allkeys-lru")
				.build();
			server.start();
			redis = server;
		}
		catch (IOException | RuntimeException ex) {
			throw new LauncherException("Redis did not start on port " + port + ": " + ex.getMessage()
					+ ". Is the port taken? Set VIGIL_REDIS_PORT to another one.", ex);
		}
	}

	@Override
	public synchronized void stop() {
		if (redis == null) {
			return;
		}
		try {
			redis.stop();
		}
		catch (IOException ex) {
			throw new LauncherException("Redis did not stop cleanly: " + ex.getMessage(), ex);
		}
		finally {
			redis = null;
		}
	}

	@Override
	public synchronized boolean running() {
		return redis != null && redis.isActive();
	}

	@Override
	public String address() {
		return "redis://127.0.0.1:" + port;
	}

}
