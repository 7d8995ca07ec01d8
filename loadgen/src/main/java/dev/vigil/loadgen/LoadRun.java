package dev.vigil.loadgen;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A load run in progress. {@link #run(LoadConfig)} blocks until the report is ready; {@link #start(LoadConfig)}
 * runs in the background (e.g. the launcher's gentle load during {@code vigil up}) and {@link #stop()} ends it early
 * with a report of what happened so far.
 *
 * <pre>{@code
 * LoadReport report = LoadRun.run(LoadConfig.builder()
 *         .target("http://127.0.0.1:8080")
 *         .rate(200)
 *         .duration(Duration.ofSeconds(60))
 *         .build());
 * }</pre>
 */
public final class LoadRun {

	private final Engine engine;

	private final CompletableFuture<LoadReport> result = new CompletableFuture<>();

	private LoadRun(LoadConfig config) {
		this.engine = new Engine(config);
	}

	/** Runs on the calling thread (it becomes the scheduler thread) and returns the report. */
	public static LoadReport run(LoadConfig config) throws LoadRunException {
		try {
			return new Engine(config).run();
		}
		catch (LoadRunException e) {
			throw e;
		}
		catch (Exception e) {
			throw new LoadRunException(e);
		}
	}

	/** Starts a run on a new (daemon) scheduler thread. */
	public static LoadRun start(LoadConfig config) {
		LoadRun run = new LoadRun(config);
		Thread t = new Thread(() -> {
			try {
				run.result.complete(run.engine.run());
			}
			catch (Throwable e) {
				run.result.completeExceptionally(e);
			}
		}, "vigil-loadgen-scheduler");
		t.setDaemon(true);
		t.start();
		return run;
	}

	/** Stops scheduling new arrivals; outstanding requests are still awaited (up to the request timeout). */
	public void stop() {
		engine.stop();
	}

	public boolean isDone() {
		return result.isDone();
	}

	/** Waits for the report. */
	public LoadReport await() throws InterruptedException, LoadRunException {
		try {
			return result.get();
		}
		catch (ExecutionException e) {
			Throwable cause = e.getCause();
			throw cause instanceof LoadRunException lre ? lre : new LoadRunException(cause);
		}
	}

	/** The run could not start (target unreachable, setup requests failed) or failed unexpectedly. */
	public static final class LoadRunException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		public LoadRunException(String message) {
			super(message);
		}

		LoadRunException(Throwable cause) {
			super(describe(cause), cause);
		}

		private static String describe(Throwable cause) {
			String message = cause.getMessage();
			if (cause instanceof java.net.ConnectException || cause.getCause() instanceof java.net.ConnectException) {
				return "cannot connect to the target (" + (message == null ? "connection refused" : message)
						+ "); is it running?";
			}
			return message != null ? message : cause.getClass().getSimpleName();
		}
	}
}
