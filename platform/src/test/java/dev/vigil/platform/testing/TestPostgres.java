package dev.vigil.platform.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.context.SmartLifecycle;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A real, throwaway PostgreSQL for the services' integration tests (zonky's embedded binaries from Maven Central,
 * an ephemeral port). One place for starting it, pointing Spring's data source at it and stopping it.
 */
public final class TestPostgres {

	private TestPostgres() {
	}

	/** Starts PostgreSQL; it stops when the test JVM exits. */
	public static EmbeddedPostgres startUntilExit() {
		EmbeddedPostgres postgres = start();
		Runtime.getRuntime().addShutdownHook(new Thread(() -> close(postgres)));
		return postgres;
	}

	/** Starts PostgreSQL; the caller stops it (see {@link #stopAfterApplication}). */
	public static EmbeddedPostgres start() {
		try {
			return EmbeddedPostgres.builder().start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start embedded PostgreSQL", ex);
		}
	}

	/** Points {@code spring.datasource.*} at the {@code postgres} database. */
	public static void registerDataSource(DynamicPropertyRegistry registry, EmbeddedPostgres postgres) {
		registry.add("spring.datasource.url", () -> postgres.getJdbcUrl("postgres", "postgres"));
		registry.add("spring.datasource.username", () -> "postgres");
		registry.add("spring.datasource.password", () -> "postgres");
	}

	/**
	 * A bean for a test's context that runs {@code closeBackends} in the very last shutdown phase, after the
	 * application's servers, listeners and schedulers have stopped, so that a graceful shutdown still finds its
	 * database.
	 */
	public static SmartLifecycle stopAfterApplication(Runnable closeBackends) {
		return new SmartLifecycle() {

			private volatile boolean running;

			@Override
			public void start() {
				this.running = true;
			}

			@Override
			public void stop() {
				this.running = false;
				closeBackends.run();
			}

			@Override
			public boolean isRunning() {
				return this.running;
			}

			@Override
			public int getPhase() {
				return Integer.MIN_VALUE;
			}

		};
	}

	/** Stops PostgreSQL. */
	public static void close(EmbeddedPostgres postgres) {
		try {
			postgres.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
