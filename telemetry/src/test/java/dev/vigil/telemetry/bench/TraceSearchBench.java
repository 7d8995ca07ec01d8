package dev.vigil.telemetry.bench;

import dev.vigil.telemetry.traces.TraceQL;
import dev.vigil.telemetry.traces.TraceStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;

/**
 * TraceQL search CPU time in process (not a unit test): fills a store with the spans TraceBench sends (1,000,000 by
 * default: the store's budget) and runs TraceBench's queries, reporting thread CPU time, which unlike wall time
 * does not depend on what else the machine runs. Also ingest CPU time into the store alone (no gRPC, no metrics
 * generator).
 *
 * <pre>
 * TraceSearchBench [spans=1000000] [runs=30]
 * </pre>
 */
public final class TraceSearchBench {

	static final List<String> QUERIES = List.of(
			"{ resource.service.name = \"vigil-payments\" && duration > 30ms && status = error }",
			"{ span.http.route = \"/api/checkout\" && duration > 400ms }", "{ span.user.id = \"u4242\" }",
			"{ name = \"payments.op3\" && span.retry = \"true\" && status = error }", "{ span.order.id = \"123\" }");

	private TraceSearchBench() {
	}

	public static void main(String[] args) {
		int spans = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
		int runs = args.length > 1 ? Integer.parseInt(args[1]) : 30;
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long now = System.currentTimeMillis() * 1_000_000L;
		TraceStore store = new TraceStore(new TraceStore.Config(spans, 6L * 3600 * 1_000_000_000L));
		// twice the budget, as traces.sh sends: the store holds the newest half
		int batches = 2 * spans / TraceBench.BATCH;
		var requests = new java.util.ArrayList<io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest>();
		long cpu = 0;
		for (int b = 0; b < batches; b++) {
			requests.add(TraceBench.batch(b, now));
			if (requests.size() == 100 || b == batches - 1) {
				long c0 = threads.getCurrentThreadCpuTime();
				for (var request : requests) {
					store.append(request.getResourceSpansList());
				}
				cpu += threads.getCurrentThreadCpuTime() - c0;
				requests.clear();
			}
		}
		System.out.printf("store append: %,d spans in %.2f CPU-s = %,.0f spans per CPU-second (store only)%n",
				(long) batches * TraceBench.BATCH, cpu / 1e9, batches * TraceBench.BATCH / (cpu / 1e9));
		for (String q : QUERIES) {
			var filter = TraceQL.parse(q);
			long[] times = new long[runs];
			int found = 0;
			for (int i = 0; i < runs; i++) {
				long c0 = threads.getCurrentThreadCpuTime();
				found = store.search(filter, 0, Long.MAX_VALUE, 0, Long.MAX_VALUE, 20).size();
				times[i] = threads.getCurrentThreadCpuTime() - c0;
			}
			Arrays.sort(times);
			System.out.printf("search %s (%d traces): CPU p50 %.2f ms, p90 %.2f ms (%d runs)%n", q, found,
					times[runs / 2] / 1e6, times[runs * 9 / 10] / 1e6, runs);
		}
		// what Grafana's TraceQL editor asks for while typing
		for (int i = 0; i < 3; i++) {
			long c0 = threads.getCurrentThreadCpuTime();
			int names = store.tagNames().get("span").size();
			long c1 = threads.getCurrentThreadCpuTime();
			int values = store.tagValues("span.http.route", 1_000).size();
			long c2 = threads.getCurrentThreadCpuTime();
			System.out.printf("tag names (%d span attributes): CPU %.1f ms; values of span.http.route (%d): CPU %.1f ms%n",
					names, (c1 - c0) / 1e6, values, (c2 - c1) / 1e6);
		}
	}

}
