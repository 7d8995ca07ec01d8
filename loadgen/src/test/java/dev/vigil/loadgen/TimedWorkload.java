package dev.vigil.loadgen;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;

import org.HdrHistogram.Histogram;

/**
 * GETs the target with the arrival's sequence number and intended send time in headers, so the test server can
 * compute the true latency each request experienced (response written minus intended send, same nanoTime clock).
 * The server answers with the nanoTime at which it wrote the response; the difference to when the client saw it is
 * the generator's own receive-path delay, which a CPU-starved CI machine inflates. Tests widen their tolerance by
 * exactly that measured delay rather than by a guess.
 */
final class TimedWorkload implements Workload {

	private URI target;

	private Duration timeout;

	/** Server write to client callback, microseconds. */
	final Histogram receiveDelay = new Histogram(3);

	@Override
	public List<String> scenarios() {
		return List.of("timed");
	}

	@Override
	public void prepare(Context context) throws Exception {
		target = context.target();
		timeout = context.requestTimeout();
		Warmup.once(context.client(), HttpRequest.newBuilder(target).header("X-Seq", "-1")
				.header("X-Intended", Long.toString(System.nanoTime())).build());
	}

	@Override
	public Call next(long seq, long intendedNanoTime) {
		HttpRequest request = HttpRequest.newBuilder(target)
				.timeout(timeout)
				.header("X-Seq", Long.toString(seq))
				.header("X-Intended", Long.toString(intendedNanoTime))
				.GET()
				.build();
		return new Call(0, request, true, null);
	}

	@Override
	public void onResponse(Call call, int status, String body) {
		long now = System.nanoTime();
		if (body != null && !body.isEmpty()) {
			synchronized (receiveDelay) {
				receiveDelay.recordValue(Math.max(0, (now - Long.parseLong(body.trim())) / 1000));
			}
		}
	}

	/** Receive-path delay at percentile {@code p}, milliseconds. */
	double receiveDelayMillis(double p) {
		synchronized (receiveDelay) {
			return receiveDelay.getValueAtPercentile(p) / 1000.0;
		}
	}
}
