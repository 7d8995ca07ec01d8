package dev.vigil.loadgen;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;

/**
 * What to send: a set of named scenarios and, for each arrival the scheduler fires, the request to send.
 *
 * <p>A workload is stateful for one run ({@link #prepare} resets it). {@link #next} is called on the single
 * scheduler thread and must be fast and non-blocking: its cost delays every later arrival. {@link #onResponse} is
 * called on an I/O thread, possibly concurrently.
 */
public interface Workload {

	/** Scenario names, indexed by {@link Call#scenario()}. Stable after {@link #prepare}. */
	List<String> scenarios();

	/**
	 * Called once before the clock starts; not measured. Do setup here (create users, learn ids). Throw with a
	 * message a user can act on if the target is not usable.
	 */
	default void prepare(Context context) throws Exception {
	}

	/**
	 * The request for arrival {@code seq}, intended to be sent at {@code intendedNanoTime} ({@link System#nanoTime()}
	 * clock). Latency is measured from that instant, not from when the request actually left.
	 */
	Call next(long seq, long intendedNanoTime);

	/**
	 * A response arrived ({@code status} > 0) or the request failed ({@code status} == 0). {@code body} is null
	 * unless the call asked for it.
	 */
	default void onResponse(Call call, int status, String body) {
	}

	/** What a workload gets to prepare with: the run's client (shared, async) and target. */
	record Context(HttpClient client, URI target, Duration requestTimeout) {
	}

	/**
	 * One request to send.
	 *
	 * @param scenario index into {@link #scenarios()}
	 * @param request the request; give it a timeout ({@link Context#requestTimeout()})
	 * @param wantsBody whether {@link #onResponse} needs the body as a string (otherwise it is discarded unread)
	 * @param attachment anything the workload wants back in {@link #onResponse}
	 */
	record Call(int scenario, HttpRequest request, boolean wantsBody, Object attachment) {
	}

	/** {@code GET target} in a loop, one scenario named {@code http-get}: benchmark any endpoint. */
	static Workload httpGet() {
		return new HttpGetWorkload();
	}
}
