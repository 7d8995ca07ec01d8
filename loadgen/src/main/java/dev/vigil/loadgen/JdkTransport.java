package dev.vigil.loadgen;

import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;

/** {@link HttpClient#sendAsync}: handles https and anything else; costs a few hundred microseconds of CPU a request. */
final class JdkTransport implements Transport {

	private static final BodyHandler<Void> DISCARD = BodyHandlers.discarding();

	private static final BodyHandler<String> STRING = BodyHandlers.ofString();

	private final HttpClient client;

	JdkTransport(HttpClient client) {
		this.client = client;
	}

	@Override
	public void send(Workload.Call call, Callback callback) {
		if (call.wantsBody()) {
			client.sendAsync(call.request(), STRING).whenComplete(
					(r, e) -> callback.complete(e == null ? r.statusCode() : 0, e == null ? r.body() : null, e));
		}
		else {
			client.sendAsync(call.request(), DISCARD)
					.whenComplete((r, e) -> callback.complete(e == null ? r.statusCode() : 0, null, e));
		}
	}

	@Override
	public void close() {
		// The client has no close() on Java 17; its threads are daemons and die with it.
	}
}
