package dev.vigil.loadgen;

import java.net.http.HttpRequest;
import java.util.List;

/** The trivial workload: one immutable request, reused for every arrival (building it per call is wasted work). */
final class HttpGetWorkload implements Workload {

	private Call call;

	@Override
	public List<String> scenarios() {
		return List.of("http-get");
	}

	@Override
	public void prepare(Context context) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(context.target()).GET().timeout(context.requestTimeout()).build();
		call = new Call(0, request, false, null);
		// One request off the clock: fails fast with a clear message if nothing listens, and keeps the client's
		// class loading and first connection out of the first measured latencies.
		Warmup.once(context.client(), request);
	}

	@Override
	public Call next(long seq, long intendedNanoTime) {
		return call;
	}
}
