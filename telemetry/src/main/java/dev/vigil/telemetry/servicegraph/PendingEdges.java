package dev.vigil.telemetry.servicegraph;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Half-seen edges waiting for their other side: a client (or producer) span waits for the server (or consumer) span
 * whose parent (or link) is its span id, and the other way round, since either may arrive first. Bounded in count
 * and time, as Tempo's store ({@code max_items} 10,000, {@code wait} 10 s): an edge not completed within the wait
 * expires (its spans are "unpaired"), and a half-edge arriving while the store is full is dropped. Both are
 * counted by the caller.
 */
final class PendingEdges {

	/** One side of an edge. */
	record Side(String service, double seconds, boolean failed, String peer) {

	}

	/** An edge in the making; exactly one of the sides is set while pending. */
	static final class Edge {

		final String connectionType;

		final long arrivedMillis;

		Side client;

		Side server;

		Edge(String connectionType, long arrivedMillis) {
			this.connectionType = connectionType;
			this.arrivedMillis = arrivedMillis;
		}

	}

	/** The span an edge side names: trace id halves and span id. */
	private record Key(long traceHigh, long traceLow, long spanId) {

	}

	private final int maxItems;

	private final long waitMillis;

	// insertion order = arrival order, so expiry only looks at the head
	private final LinkedHashMap<Key, Edge> edges = new LinkedHashMap<>();

	PendingEdges(int maxItems, long waitMillis) {
		this.maxItems = maxItems;
		this.waitMillis = waitMillis;
	}

	/** The result of offering one side: the completed edge, or null when it now waits (or was dropped). */
	record Offer(Edge completed, boolean dropped) {

		static final Offer WAITING = new Offer(null, false);

		static final Offer DROPPED = new Offer(null, true);

	}

	synchronized Offer offer(long traceHigh, long traceLow, long spanId, boolean clientSide, Side side,
			String connectionType, long nowMillis) {
		Key key = new Key(traceHigh, traceLow, spanId);
		Edge edge = edges.get(key);
		if (edge != null && (clientSide ? edge.client == null : edge.server == null)) {
			edges.remove(key);
			if (clientSide) {
				edge.client = side;
			}
			else {
				edge.server = side;
			}
			return new Offer(edge, false);
		}
		if (edge != null || edges.size() >= maxItems) {
			// a duplicate side (the same span sent twice) or a full store
			return Offer.DROPPED;
		}
		edge = new Edge(connectionType, nowMillis);
		if (clientSide) {
			edge.client = side;
		}
		else {
			edge.server = side;
		}
		edges.put(key, edge);
		return Offer.WAITING;
	}

	/** Removes and returns the edges that waited longer than the wait. */
	synchronized List<Edge> expire(long nowMillis) {
		List<Edge> expired = List.of();
		Iterator<Edge> oldest = edges.values().iterator();
		while (oldest.hasNext()) {
			Edge edge = oldest.next();
			if (nowMillis - edge.arrivedMillis < waitMillis) {
				break;
			}
			if (expired.isEmpty()) {
				expired = new ArrayList<>();
			}
			expired.add(edge);
			oldest.remove();
		}
		return expired;
	}

	synchronized int size() {
		return edges.size();
	}

}
