package dev.vigil.loadgen;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A request sent before the clock starts. Its status does not matter; only reaching the target does. */
final class Warmup {

	private Warmup() {
	}

	static void once(HttpClient client, HttpRequest request) throws IOException, InterruptedException {
		try {
			client.send(request, HttpResponse.BodyHandlers.discarding());
		}
		catch (ConnectException e) {
			throw new LoadRun.LoadRunException("cannot connect to " + request.uri() + "; is it running?");
		}
		catch (HttpTimeoutException e) {
			// Reachable but slow: that is for the run to measure, not a reason to refuse to start.
		}
	}
}
