package dev.vigil.telemetry.servicegraph;

import dev.vigil.telemetry.otlp.SampleSink;
import dev.vigil.telemetry.tsdb.Labels;
import dev.vigil.telemetry.traces.StoredSpan;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Edges between services, as Tempo's service-graphs processor derives them: a CLIENT span and the SERVER span that
 * is its child in another (or the same) service make a request edge; a PRODUCER span and the CONSUMER span that
 * <em>links</em> to it (Vigil's Kafka consumers link to the producer context rather than being its child; a
 * consumer without links falls back to its parent) make a {@code messaging_system} edge. Metric names, labels
 * ({@code client}, {@code server}, {@code connection_type}) and default buckets (0.1 s doubling to 12.8 s) are
 * Tempo's. A client span whose server never reports (a database, an external API) becomes, when it expires, an
 * edge to a virtual node named by {@code peer.service} or the database ({@code connection_type} {@code
 * virtual_node} or {@code database}), again as Tempo does; other expired halves are counted as unpaired.
 */
final class ServiceGraph {

	static final String REQUESTS = "traces_service_graph_request_total";

	static final String FAILED = "traces_service_graph_request_failed_total";

	static final String SERVER_SECONDS = "traces_service_graph_request_server_seconds";

	static final String CLIENT_SECONDS = "traces_service_graph_request_client_seconds";

	static final String UNPAIRED = "traces_service_graph_unpaired_spans_total";

	static final String DROPPED = "traces_service_graph_dropped_spans_total";

	static final double[] BUCKETS = GeneratedSeries.exponentialBuckets(0.1, 2, 8);

	static final String MESSAGING = "messaging_system";

	private record EdgeKey(String client, String server, String connectionType) {

		Labels labels(String name) {
			return Labels.builder()
				.set(Labels.METRIC_NAME, name)
				.set("client", client)
				.set("server", server)
				.set("connection_type", connectionType)
				.build();
		}

	}

	/** The service side an unpaired span was seen on ({@code client} or {@code server}). */
	private record SideKey(String side, String service) {

		Labels labels(String name) {
			return Labels.builder().set(Labels.METRIC_NAME, name).set(side, service).build();
		}

	}

	private final PendingEdges pending;

	private final GeneratedSeries<EdgeKey> requests;

	private final GeneratedSeries<EdgeKey> failed;

	private final GeneratedSeries<EdgeKey> serverSeconds;

	private final GeneratedSeries<EdgeKey> clientSeconds;

	private final GeneratedSeries<SideKey> unpaired;

	private final GeneratedSeries<SideKey> dropped;

	private final AtomicLong expiredEdges = new AtomicLong();

	private final AtomicLong droppedSpans = new AtomicLong();

	ServiceGraph(int maxPendingEdges, long waitMillis, int maxSeries) {
		pending = new PendingEdges(maxPendingEdges, waitMillis);
		requests = new GeneratedSeries<>(maxSeries);
		failed = new GeneratedSeries<>(maxSeries);
		serverSeconds = new GeneratedSeries<>(maxSeries);
		clientSeconds = new GeneratedSeries<>(maxSeries);
		unpaired = new GeneratedSeries<>(maxSeries);
		dropped = new GeneratedSeries<>(maxSeries);
	}

	void record(StoredSpan span, long nowMillis) {
		switch (span.kind()) {
			case SPAN_KIND_CLIENT -> offer(span.traceIdHigh(), span.traceIdLow(), span.spanIdBits(), true, span, "",
					nowMillis);
			case SPAN_KIND_PRODUCER -> offer(span.traceIdHigh(), span.traceIdLow(), span.spanIdBits(), true, span,
					MESSAGING, nowMillis);
			case SPAN_KIND_SERVER -> {
				if (span.hasValidParent()) {
					offer(span.traceIdHigh(), span.traceIdLow(), span.parentSpanIdBits(), false, span, "", nowMillis);
				}
			}
			case SPAN_KIND_CONSUMER -> {
				// links with wrong-sized ids name no span and are left out (StoredSpan#links)
				List<StoredSpan.Link> links = span.links();
				if (!links.isEmpty()) {
					for (StoredSpan.Link link : links) {
						offer(link.traceHigh(), link.traceLow(), link.spanId(), false, span, MESSAGING, nowMillis);
					}
				}
				else if (span.hasValidParent()) {
					offer(span.traceIdHigh(), span.traceIdLow(), span.parentSpanIdBits(), false, span, MESSAGING,
							nowMillis);
				}
			}
			default -> {
				// internal spans do not cross a service boundary
			}
		}
	}

	private void offer(long traceHigh, long traceLow, long spanId, boolean clientSide, StoredSpan span,
			String connectionType, long nowMillis) {
		String service = span.service();
		PendingEdges.Side side = new PendingEdges.Side(service, Durations.seconds(span), span.isError(),
				clientSide ? peer(span) : null);
		PendingEdges.Offer offer = pending.offer(traceHigh, traceLow, spanId, clientSide, side, connectionType,
				nowMillis);
		if (offer.completed() != null) {
			PendingEdges.Edge edge = offer.completed();
			complete(edge.client, edge.server, edge.connectionType);
		}
		else if (offer.dropped()) {
			droppedSpans.incrementAndGet();
			SideKey key = new SideKey(clientSide ? "client" : "server", service);
			inc(dropped.counter(key, k -> k.labels(DROPPED)));
		}
	}

	/** The attributes {@link #peer} reads, in one pass over the span: later keys are fallbacks. */
	private static final byte[][] PEER_KEYS = Stream
		.of("peer.service", "db.namespace", "db.name", "db.system", "db.system.name")
		.map(key -> key.getBytes(StandardCharsets.UTF_8))
		.toArray(byte[][]::new);

	/** What a client span calls when no server span answers: {@code peer.service}, else the database. */
	private static String peer(StoredSpan span) {
		String[] values = span.attributes(PEER_KEYS);
		String peerService = values[0];
		if (peerService != null && !peerService.isEmpty()) {
			return "virtual_node:" + peerService;
		}
		String database = firstNonEmpty(values[1], values[2]);
		String db = database != null ? database : firstNonEmpty(values[3], values[4]);
		return db != null ? "database:" + db : null;
	}

	private static String firstNonEmpty(String a, String b) {
		return a != null && !a.isEmpty() ? a : b != null && !b.isEmpty() ? b : null;
	}

	private void complete(PendingEdges.Side client, PendingEdges.Side server, String connectionType) {
		EdgeKey key = new EdgeKey(client.service(), server.service(), connectionType);
		inc(requests.counter(key, k -> k.labels(REQUESTS)));
		if (client.failed() || server.failed()) {
			inc(failed.counter(key, k -> k.labels(FAILED)));
		}
		GeneratedSeries.Histogram serverHistogram = serverSeconds.histogram(key, k -> k.labels(SERVER_SECONDS),
				SERVER_SECONDS, BUCKETS);
		if (serverHistogram != null) {
			serverHistogram.observe(server.seconds());
		}
		GeneratedSeries.Histogram clientHistogram = clientSeconds.histogram(key, k -> k.labels(CLIENT_SECONDS),
				CLIENT_SECONDS, BUCKETS);
		if (clientHistogram != null) {
			clientHistogram.observe(client.seconds());
		}
	}

	private static void inc(GeneratedSeries.Counter counter) {
		if (counter != null) {
			counter.inc();
		}
	}

	/** Expires edges that waited too long: virtual-node edges where the client names its peer, else unpaired. */
	void expire(long nowMillis) {
		for (PendingEdges.Edge edge : pending.expire(nowMillis)) {
			expiredEdges.incrementAndGet();
			if (edge.client != null && edge.client.peer() != null) {
				String peer = edge.client.peer();
				int colon = peer.indexOf(':');
				PendingEdges.Side virtual = new PendingEdges.Side(peer.substring(colon + 1), edge.client.seconds(),
						false, null);
				complete(edge.client, virtual, peer.substring(0, colon));
				continue;
			}
			SideKey key = edge.client != null ? new SideKey("client", edge.client.service())
					: new SideKey("server", edge.server.service());
			inc(unpaired.counter(key, k -> k.labels(UNPAIRED)));
		}
	}

	void collect(SampleSink sink, long timestampMillis) {
		expire(timestampMillis);
		requests.collect(sink, timestampMillis);
		failed.collect(sink, timestampMillis);
		serverSeconds.collect(sink, timestampMillis);
		clientSeconds.collect(sink, timestampMillis);
		unpaired.collect(sink, timestampMillis);
		dropped.collect(sink, timestampMillis);
	}

	long expiredEdges() {
		return expiredEdges.get();
	}

	long droppedSpans() {
		return droppedSpans.get();
	}

	long droppedSeriesUpdates() {
		return requests.dropped() + failed.dropped() + serverSeconds.dropped() + clientSeconds.dropped()
				+ unpaired.dropped() + dropped.dropped();
	}

	int pendingEdges() {
		return pending.size();
	}

}
