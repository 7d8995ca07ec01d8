package dev.vigil.launcher;

import dev.vigil.loadgen.LoadConfig;
import dev.vigil.loadgen.LoadRun;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;

/**
 * The gentle default load of `./vigil up` (and of the end-to-end chaos suite), kept alive while the stack warms up.
 * The load generator's setup registers and logs in its users once; right after "all ready" the first bcrypt calls of
 * cold JVMs can outlast the gateway's timeout, the gateway answers 503, and the run ends before it began — silently,
 * since it runs in the background. So a failed setup is retried every few seconds, for a bounded time.
 */
public final class BackgroundLoad {

	private static final Duration RETRY_EVERY = Duration.ofSeconds(5);

	private static final int ATTEMPTS = 36; // three minutes

	private final LoadConfig config;

	private final PrintStream out;

	private volatile LoadRun current;

	private volatile boolean stopped;

	private BackgroundLoad(LoadConfig config, PrintStream out) {
		this.config = config;
		this.out = out;
	}

	/** Starts the background mix at {@code rate} requests per second against the gateway; returns at once. */
	public static BackgroundLoad start(URI gateway, double rate, PrintStream out) {
		BackgroundLoad load = new BackgroundLoad(LoadConfig.background(gateway).toBuilder().rate(rate).build(), out);
		Thread thread = new Thread(load::keepAlive, "vigil-background-load");
		thread.setDaemon(true);
		thread.start();
		return load;
	}

	private void keepAlive() {
		for (int attempt = 1; attempt <= ATTEMPTS && !stopped; attempt++) {
			LoadRun run = LoadRun.start(config);
			current = run;
			if (stopped) {
				run.stop();
				return;
			}
			try {
				run.await();
				return; // ran its (year-long) course, or was stopped
			}
			catch (LoadRun.LoadRunException ex) {
				if (stopped) {
					return;
				}
				out.printf("[vigil] background load could not start (%s); retrying in %d s%n", ex.getMessage(),
						RETRY_EVERY.toSeconds());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			try {
				Thread.sleep(RETRY_EVERY.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		if (!stopped) {
			out.println("[vigil] background load gave up; start one with ./vigil load");
		}
	}

	public void stop() {
		stopped = true;
		LoadRun run = current;
		if (run != null) {
			run.stop();
		}
	}

}
