package dev.vigil.telemetry.traces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class TraceQLTest {

	// Test spans carry fixed timestamps; a retention longer than their age keeps them stored.
	final TraceStore store = new TraceStore(new TraceStore.Config(1_000_000, Long.MAX_VALUE / 2));

	StoredSpan stored(String service, String name, SpanKind kind, long durationMs, boolean error, Map<String, String> attrs) {
		store.append(List.of(Spans.batch(service, Spans.span("a1", Long.toHexString(System.nanoTime()), null, name, kind, 0,
				durationMs, error, attrs))));
		List<StoredSpan> trace = store.trace(Hex.normalizeTraceId("a1")).orElseThrow();
		return trace.get(trace.size() - 1);
	}

	@Test
	void matchesIntrinsicsAndAttributes() {
		StoredSpan slowError = stored("orders", "PlaceOrder", SpanKind.SPAN_KIND_SERVER, 250, true, Map.of("http.route", "/api/orders", "http.response.status_code", "500"));
		StoredSpan fastOk = stored("inventory", "ReserveStock", SpanKind.SPAN_KIND_CLIENT, 5, false, Map.of());

		Predicate<StoredSpan> query = TraceQL.parse("{ resource.service.name = \"orders\" && duration > 200ms && status = error }");
		assertThat(query).accepts(slowError).rejects(fastOk);
		assertThat(TraceQL.parse("{ span.http.response.status_code >= 500 }")).accepts(slowError).rejects(fastOk);
		assertThat(TraceQL.parse("{ .http.route =~ \"/api/.*\" }")).accepts(slowError).rejects(fastOk);
		assertThat(TraceQL.parse("{ name != \"PlaceOrder\" }")).accepts(fastOk).rejects(slowError);
		assertThat(TraceQL.parse("{ kind = client || duration >= 1s }")).accepts(fastOk).rejects(slowError);
		assertThat(TraceQL.parse("{ resource.service.name !~ \"inv.*\" }")).accepts(slowError).rejects(fastOk);
		assertThat(TraceQL.parse("{}")).accepts(slowError, fastOk);
	}

	@Test
	void unsupportedOrBrokenQueriesSayWhatAndWhere() {
		assertThatThrownBy(() -> TraceQL.parse("{ status = error } | count() > 2")).hasMessage(
				"1:20: pipelines (|) are not supported by vigil-telemetry's TraceQL subset (one { } filter)");
		assertThatThrownBy(() -> TraceQL.parse("{ (name = \"a\") }")).hasMessageStartingWith("1:3: parentheses");
		assertThatThrownBy(() -> TraceQL.parse("{ duration > 200 }")).hasMessageContaining("needs a unit");
		assertThatThrownBy(() -> TraceQL.parse("{ colour = \"red\" }")).hasMessageStartingWith("1:3: unknown field colour");
		assertThatThrownBy(() -> TraceQL.parse("{ name ~ \"a\" }")).hasMessageStartingWith("1:8: expected an operator");
		assertThatThrownBy(() -> TraceQL.parse("{ name = \"a }")).hasMessageContaining("unterminated string");
		assertThatThrownBy(() -> TraceQL.parse("name = \"a\"")).hasMessageStartingWith("1:1: expected \"{\"");
		assertThatThrownBy(() -> TraceQL.parse("{ span.x =~ \"(\" }")).hasMessageContaining("invalid regular expression");
	}

	@Test
	void regexBombsRunInLinearTime() {
		StoredSpan span = stored("orders", "x", SpanKind.SPAN_KIND_SERVER, 1, false, Map.of("payload", "a".repeat(50_000) + "!"));
		// (a+)+$ is exponential for backtracking engines on this input; RE2 answers at once.
		assertThat(TraceQL.parse("{ span.payload =~ \"(a+)+$\" }")).rejects(span);
	}

}
