package dev.vigil.launcher.supervisor;

import dev.vigil.launcher.LauncherException;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One supervised OS process: its spec, the current incarnation, and how often it was restarted. The supervisor owns
 * the restart policy; this class only starts, signals and stops.
 */
public final class ManagedProcess {

	/**
	 * What the user sees in `./vigil status`. STARTING: this incarnation has not been ready yet (the supervisor is
	 * bringing it up); NOT_READY: it was ready and its readiness check now fails (hung or broken — for the alerts and
	 * the remediator to act on); EXITED: it died and its restart policy says "never", so it stays down until someone
	 * restarts it.
	 */
	public enum State {

		STARTING, READY, NOT_READY, PAUSED, BACKING_OFF, EXITED, STOPPED

	}

	private final ProcessSpec spec;

	private volatile Process process;

	private volatile State state = State.STOPPED;

	private volatile int restarts;

	private volatile Instant startedAt;

	private volatile boolean stopRequested;

	/** Set by {@link #crash()} for the current incarnation only: its exit is not restarted by the supervisor. */
	private volatile Process noRestart;

	ManagedProcess(ProcessSpec spec) {
		this.spec = spec;
	}

	public ProcessSpec spec() {
		return spec;
	}

	public String name() {
		return spec.name();
	}

	public State state() {
		return state;
	}

	public int restarts() {
		return restarts;
	}

	public Optional<Long> pid() {
		Process current = process;
		return (current != null && current.isAlive()) ? Optional.of(current.pid()) : Optional.empty();
	}

	/** When the current incarnation was started. */
	public Optional<Instant> startedAt() {
		return Optional.ofNullable(startedAt);
	}

	Process process() {
		return process;
	}

	boolean stopRequested() {
		return stopRequested;
	}

	boolean restartSuppressed(Process exited) {
		return noRestart == exited;
	}

	void state(State state) {
		this.state = state;
	}

	void countRestart() {
		restarts++;
	}

	synchronized Process start() {
		try {
			Files.createDirectories(spec.logFile().getParent());
			ProcessBuilder builder = new ProcessBuilder(spec.command());
			builder.environment().putAll(spec.environment());
			builder.redirectErrorStream(true);
			builder.redirectOutput(ProcessBuilder.Redirect.appendTo(spec.logFile().toFile()));
			Process started = builder.start();
			// Publish the new incarnation before clearing the stop flag: the exit handler of the previous one reads
			// the flag first and the incarnation second, so it sees either "stop requested" or "not mine" — never
			// neither, which would start a second copy.
			process = started;
			startedAt = Instant.now();
			state = State.STARTING;
			stopRequested = false;
			return started;
		}
		catch (IOException ex) {
			throw new LauncherException("cannot start " + name() + " (" + String.join(" ", spec.command()) + "): "
					+ ex.getMessage(), ex);
		}
	}

	/** Graceful stop (SIGTERM, then SIGKILL after the grace period); the supervisor will not restart it. */
	public synchronized void stop(Duration grace) {
		stopRequested = true;
		Process current = process;
		if (current != null && current.isAlive()) {
			resume(); // a paused JVM cannot handle SIGTERM
			current.descendants().forEach(ProcessHandle::destroy);
			current.destroy();
			try {
				if (!current.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
					current.descendants().forEach(ProcessHandle::destroyForcibly);
					current.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				current.destroyForcibly();
			}
		}
		state = State.STOPPED;
	}

	/** Like `kill -9`: the supervisor sees a crash and restarts the process. */
	public void kill() {
		Process current = process;
		if (current != null) {
			current.destroyForcibly();
		}
	}

	/**
	 * `kill -9` under restart policy "never" (Kubernetes' restartPolicy: Never) for this incarnation only: the process
	 * stays down, as it would on a platform without a supervisor, until something restarts it — in local mode the
	 * remediator, on InstanceDown. Lets an experiment show the alert-to-remediation path for a crash; a plain
	 * {@link #kill()} is healed by the supervisor itself, usually before any alert.
	 */
	public void crash() {
		Process current = process;
		if (current != null) {
			noRestart = current;
			current.destroyForcibly();
		}
	}

	/** SIGSTOP: the process hangs (accepts connections, answers nothing) until resumed. */
	public void pause() {
		signal("STOP");
		state = State.PAUSED;
	}

	public void resume() {
		if (state == State.PAUSED) {
			signal("CONT");
			state = State.STARTING;
		}
	}

	private void signal(String signal) {
		pid().ifPresent(pid -> {
			try {
				new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor(5, TimeUnit.SECONDS);
			}
			catch (IOException ex) {
				throw new LauncherException("cannot send SIG" + signal + " to " + name() + ": " + ex.getMessage(), ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
	}

}
