package dev.vigil.launcher.supervisor;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Starts processes, watches them, and restarts the ones that die with exponential back-off (1 s, 2 s, 4 s … 30 s; the
 * back-off resets once a process has stayed up for a minute). Every transition is printed, so a crash and its restart
 * are visible in `./vigil up`'s output. Readiness is polled over HTTP.
 */
public final class Supervisor implements AutoCloseable {

	private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

	private static final Duration STABLE_AFTER = Duration.ofMinutes(1);

	private final Map<String, ManagedProcess> processes = new LinkedHashMap<>();

	private final Map<String, Integer> consecutiveFailures = new LinkedHashMap<>();

	private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, runnable -> {
		Thread thread = new Thread(runnable, "vigil-supervisor");
		thread.setDaemon(true);
		return thread;
	});

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final PrintStream out;

	private volatile boolean closing;

	public Supervisor(PrintStream out) {
		this.out = out;
	}

	public synchronized ManagedProcess add(ProcessSpec spec) {
		ManagedProcess process = new ManagedProcess(spec);
		processes.put(spec.name(), process);
		return process;
	}

	public synchronized Collection<ManagedProcess> processes() {
		return List.copyOf(processes.values());
	}

	public synchronized Optional<ManagedProcess> process(String name) {
		return Optional.ofNullable(processes.get(name));
	}

	/** Starts every added process, in parallel: on two cores that is faster than one after the other. */
	public void startAll() {
		processes().forEach(this::launch);
	}

	/** Blocks until every process is ready, or throws with the names of those that are not. */
	public void awaitReady(Duration timeout) {
		Instant deadline = Instant.now().plus(timeout);
		while (Instant.now().isBefore(deadline)) {
			List<String> notReady = notReady();
			if (notReady.isEmpty()) {
				return;
			}
			sleep(Duration.ofMillis(250));
		}
		List<String> notReady = notReady();
		if (!notReady.isEmpty()) {
			throw new dev.vigil.launcher.LauncherException("not ready after " + timeout.toSeconds() + " s: "
					+ String.join(", ", notReady) + ". See the logs in .vigil/logs/<name>.log (./vigil logs <name>).");
		}
	}

	private List<String> notReady() {
		List<String> notReady = new ArrayList<>();
		for (ManagedProcess process : processes()) {
			if (process.state() != ManagedProcess.State.READY) {
				notReady.add(process.name());
			}
		}
		return notReady;
	}

	/** Restart on request (the remediator's "restart a service"): a graceful stop, then a fresh start. */
	public void restart(String name) {
		ManagedProcess process = process(name).orElseThrow();
		out.printf("[vigil] restarting %s on request%n", name);
		process.stop(Duration.ofSeconds(10));
		process.countRestart();
		launch(process);
	}

	private void launch(ManagedProcess process) {
		if (closing) {
			return;
		}
		Process os = process.start();
		out.printf("[vigil] %-14s started (pid %d)%n", process.name(), os.pid());
		os.onExit().thenAccept(exited -> onExit(process, exited));
		scheduler.execute(() -> pollReadiness(process, os));
	}

	private void pollReadiness(ManagedProcess process, Process os) {
		if (!os.isAlive() || process.process() != os || closing) {
			return;
		}
		if (process.state() != ManagedProcess.State.PAUSED && ready(process.spec().readinessUrl())) {
			if (process.state() != ManagedProcess.State.READY) {
				process.state(ManagedProcess.State.READY);
				Duration took = Duration.between(process.startedAt().orElse(Instant.now()), Instant.now());
				out.printf("[vigil] %-14s ready in %.1f s%n", process.name(), took.toMillis() / 1000.0);
			}
			// Keep watching: a hung process is noticed by the alerts, not here, but status should show it.
			scheduler.schedule(() -> pollReadiness(process, os), 5, TimeUnit.SECONDS);
			return;
		}
		if (process.state() == ManagedProcess.State.READY) {
			// Not STARTING: a process that was ready and stopped answering is hung or broken, not on its way up, and
			// the remediator (which leaves starting processes to the supervisor) must be able to tell the two apart.
			process.state(ManagedProcess.State.NOT_READY);
			out.printf("[vigil] %-14s not ready any more%n", process.name());
		}
		scheduler.schedule(() -> pollReadiness(process, os), 250, TimeUnit.MILLISECONDS);
	}

	private boolean ready(URI url) {
		try {
			HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(2)).GET().build();
			return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
		}
		catch (java.io.IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	private void onExit(ManagedProcess process, Process exited) {
		// Order matters: the stop flag before the incarnation (see ManagedProcess#start).
		if (closing || process.stopRequested() || process.process() != exited) {
			return;
		}
		if (process.restartSuppressed(exited)) {
			process.state(ManagedProcess.State.EXITED);
			out.printf("[vigil] %-14s exited with code %d; not restarting (restart policy never for this crash)%n",
					process.name(), exited.exitValue());
			return;
		}
		int failures;
		synchronized (this) {
			boolean stable = process.startedAt()
				.map(started -> Duration.between(started, Instant.now()).compareTo(STABLE_AFTER) > 0)
				.orElse(false);
			failures = stable ? 1 : consecutiveFailures.getOrDefault(process.name(), 0) + 1;
			consecutiveFailures.put(process.name(), failures);
		}
		Duration backoff = backoff(failures);
		process.state(ManagedProcess.State.BACKING_OFF);
		process.countRestart();
		out.printf("[vigil] %-14s exited with code %d; restarting in %d s (restart #%d)%n", process.name(),
				exited.exitValue(), backoff.toSeconds(), process.restarts());
		scheduler.schedule(() -> launch(process), backoff.toMillis(), TimeUnit.MILLISECONDS);
	}

	static Duration backoff(int consecutiveFailures) {
		long seconds = 1L << Math.min(consecutiveFailures - 1, 5);
		return Duration.ofSeconds(Math.min(seconds, MAX_BACKOFF.toSeconds()));
	}

	/** Stops every process (in reverse start order), waiting for each. */
	@Override
	public void close() {
		closing = true;
		List<ManagedProcess> reverse = new ArrayList<>(processes());
		java.util.Collections.reverse(reverse);
		reverse.parallelStream().forEach(process -> process.stop(Duration.ofSeconds(15)));
		scheduler.shutdownNow();
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new dev.vigil.launcher.LauncherException("interrupted");
		}
	}

}
