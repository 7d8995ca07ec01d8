package dev.vigil.telemetry.traces;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The trace digest lets search skip traces, never lose one: pruned search = a plain span-predicate search. */
class TraceSearchPruningTest {

	private static TraceStore store() {
		// the spans are from 2026-09: keep them regardless of the clock
		TraceStore store = new TraceStore(new TraceStore.Config(1_000_000, Long.MAX_VALUE / 2));
		for (int t = 1; t <= 200; t++) {
			String trace = Integer.toHexString(t);
			store.append(List.of(Spans.batch(t % 3 == 0 ? "orders" : "gateway",
					Spans.span(trace, "1", null, "GET /api/" + (t % 5), Span.SpanKind.SPAN_KIND_SERVER, t, 10 + t, false,
							Map.of("http.route", "/api/" + (t % 5), "user.id", "u" + (t % 17))),
					Spans.span(trace, "2", "1", "db.query", Span.SpanKind.SPAN_KIND_CLIENT, t + 1, t % 50, t % 11 == 0,
							Map.of("db.system", "postgres", "order.id", Integer.toString(t))))));
		}
		return store;
	}

	@Test
	void prunedSearchFindsWhatAFullScanFinds() {
		TraceStore store = store();
		int matching = 0;
		for (String query : List.of("{ span.user.id = \"u3\" }", "{ .order.id = \"77\" }", "{ span.order.id = \"9999\" }",
				"{ resource.service.name = \"orders\" && status = error }", "{ name = \"db.query\" && duration > 40ms }",
				"{ duration >= 49ms }", "{ duration = 30ms }", "{ span.user.id = \"u1\" || span.order.id = \"100\" }",
				"{ status = ok }", "{ status != error && name = \"GET /api/2\" }", "{ span.http.route =~ \"/api/[12]\" }",
				"{ .db.system = \"postgres\" && span.user.id = \"u5\" }", "{}")) {
			SpanFilter filter = TraceQL.parse(query);
			List<TraceStore.TraceSummary> pruned = store.search(filter, 0, Long.MAX_VALUE, 0, Long.MAX_VALUE, 1000);
			// a plain predicate is not a SpanFilter: search tests every span
			List<TraceStore.TraceSummary> scanned = store.search(filter::test, 0, Long.MAX_VALUE, 0, Long.MAX_VALUE,
					1000);
			assertThat(pruned).as(query).isEqualTo(scanned);
			matching += pruned.size();
		}
		assertThat(matching).as("the queries match some traces, so the comparison means something").isGreaterThan(200);
		assertThat(store.search(TraceQL.parse("{ span.order.id = \"77\" }"), 0, Long.MAX_VALUE, 0, Long.MAX_VALUE, 10))
			.extracting(TraceStore.TraceSummary::traceId)
			.containsExactly("0000000000000000000000000000004d");
	}

}
