package dev.vigil.telemetry.traces;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The child JVM of {@link TracePersistenceTest}: stores {@code count} traces in a persistent store, says so on
 * stdout, then keeps writing more until it is killed, so that the kill lands in the middle of writes.
 */
public final class CrashingTraceWriter {

	private CrashingTraceWriter() {
	}

	static List<ResourceSpans> trace(int n) {
		String id = Integer.toHexString(0x100000 + n);
		return List.of(Spans.batch("vigil-gateway",
				Spans.span(id, "01", null, "POST /api/orders", SpanKind.SPAN_KIND_SERVER, 0, 30, false, Map.of("n", Integer.toString(n))),
				Spans.span(id, "02", "01", "PlaceOrder", SpanKind.SPAN_KIND_CLIENT, 1, 20, false, Map.of())));
	}

	public static void main(String[] args) throws Exception {
		Path dir = Path.of(args[0]);
		int count = Integer.parseInt(args[1]);
		TraceStore store = TraceStore.open(new TraceStore.Config(1_000_000, Long.MAX_VALUE / 2), dir);
		for (int i = 0; i < count; i++) {
			store.append(trace(i));
		}
		System.out.println("stored " + count);
		System.out.flush();
		for (int i = count;; i++) {
			store.append(trace(i));
			Thread.sleep(1);
		}
	}

}
