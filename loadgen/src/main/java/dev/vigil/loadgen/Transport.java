package dev.vigil.loadgen;

/** Sends one request asynchronously and reports exactly once. */
interface Transport extends AutoCloseable {

	/** Called on a transport thread: a response ({@code failure == null}) or a failure ({@code status == 0}). */
	interface Callback {

		void complete(int status, String body, Throwable failure);
	}

	/** Called from the scheduler thread only; must not block. */
	void send(Workload.Call call, Callback callback);

	@Override
	void close();
}
