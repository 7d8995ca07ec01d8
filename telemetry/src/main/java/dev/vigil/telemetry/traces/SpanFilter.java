package dev.vigil.telemetry.traces;

import java.util.function.Predicate;

/**
 * A TraceQL spanset filter: the predicate over spans, and a necessary condition over a trace's {@link TraceDigest}
 * (true for every trace that has a span the predicate accepts) that lets a search skip most traces unread.
 */
public final class SpanFilter implements Predicate<StoredSpan> {

	static final SpanFilter ALL = new SpanFilter(span -> true, digest -> true);

	private final Predicate<StoredSpan> span;

	private final Predicate<TraceDigest> trace;

	SpanFilter(Predicate<StoredSpan> span, Predicate<TraceDigest> trace) {
		this.span = span;
		this.trace = trace;
	}

	@Override
	public boolean test(StoredSpan stored) {
		return span.test(stored);
	}

	/** False only when no span of the trace can satisfy the filter. */
	boolean mayMatch(TraceDigest digest) {
		return trace.test(digest);
	}

	SpanFilter and(SpanFilter other) {
		return new SpanFilter(span.and(other.span), trace.and(other.trace));
	}

	SpanFilter or(SpanFilter other) {
		return new SpanFilter(span.or(other.span), trace.or(other.trace));
	}

}
