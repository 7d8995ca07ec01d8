package dev.vigil.telemetry.logs;

import dev.vigil.telemetry.api.ApiResponse;
import dev.vigil.telemetry.logs.LogQLExpr.LogSelector;
import dev.vigil.telemetry.server.WebSocketRoute;
import dev.vigil.telemetry.server.WebSocketSession;
import dev.vigil.telemetry.traces.QueryParams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loki's live tail, {@code GET /loki/api/v1/tail} over a WebSocket: parameters {@code query} (a log query),
 * {@code delay_for} (seconds, at most 5, as in Loki), {@code limit} (entries per frame, default 100) and
 * {@code start} (default an hour ago). Frames are Loki's: {@code {"streams":[...],"dropped_entries":[...]}}.
 *
 * <p>Each session polls the store every {@code pollEvery} for entries with timestamps in [cursor, now - delay_for):
 * like Loki, an entry that arrives more than {@code delay_for} after its timestamp is not tailed. The first frame
 * holds the newest {@code limit} entries since {@code start}. Bounded: at most {@code maxSessions} sessions; a
 * client that does not read (its connection's write buffer is full) gets no frames, and the entries it missed are
 * reported, up to {@value #MAX_DROPPED_REPORTED} per frame, as {@code dropped_entries} in the next frame it can
 * take, so a slow reader neither stalls the others nor makes the server buffer without bound.
 */
public final class LokiTail implements WebSocketRoute, AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(LokiTail.class);

	static final String PATH = "/loki/api/v1/tail";

	static final int MAX_DROPPED_REPORTED = 100;

	private static final long SECOND = 1_000_000_000L;

	private static final int MAX_DELAY_SECONDS = 5;

	private static final int MAX_LIMIT = 5_000;

	private final LogQueryEngine engine;

	private final LongSupplier clockNanos;

	private final int maxSessions;

	private final Set<Session> sessions = ConcurrentHashMap.newKeySet();

	private final ScheduledExecutorService poller;

	private final AtomicLong droppedEntries = new AtomicLong();

	public LokiTail(LogStore store, Duration pollEvery, int maxSessions) {
		this(store, pollEvery, maxSessions, () -> System.currentTimeMillis() * 1_000_000L);
	}

	LokiTail(LogStore store, Duration pollEvery, int maxSessions, LongSupplier clockNanos) {
		this.engine = new LogQueryEngine(store, QueryLimits.defaults());
		this.clockNanos = clockNanos;
		this.maxSessions = maxSessions;
		this.poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
			Thread thread = new Thread(runnable, "loki-tail");
			thread.setDaemon(true);
			return thread;
		});
		poller.scheduleWithFixedDelay(this::pollAll, pollEvery.toMillis(), pollEvery.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	@Override
	public Upgrade upgrade(String path, Map<String, List<String>> rawParams) {
		if (!path.equals(PATH)) {
			return Upgrade.refuse(error(404, "unknown endpoint " + path));
		}
		QueryParams params = new QueryParams(rawParams);
		try {
			String query = params.get("query");
			if (query == null || query.isBlank()) {
				throw new IllegalArgumentException("missing required parameter \"query\"");
			}
			LogQLExpr expr = LogQLParser.parse(query);
			if (!(expr instanceof LogSelector selector)) {
				throw new IllegalArgumentException("tail needs a log query, not a metric query: " + query);
			}
			int delay = params.limit("delay_for", 0, MAX_DELAY_SECONDS);
			int limit = params.limit("limit", 100, MAX_LIMIT);
			long now = clockNanos.getAsLong();
			long start = params.timeNanos("start", now - 3600 * SECOND);
			if (sessions.size() >= maxSessions) {
				return Upgrade.refuse(error(429, "too many live tails (" + maxSessions + "); close one first"));
			}
			return Upgrade.accept(new Session(selector, delay * SECOND, limit, start));
		}
		catch (IllegalArgumentException | LogQLException e) {
			return Upgrade.refuse(error(400, e.getMessage()));
		}
	}

	private static ApiResponse error(int status, String message) {
		StringBuilder out = new StringBuilder("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":");
		JsonOut.string(out, message);
		return new ApiResponse(status, out.append('}').toString());
	}

	/** Open sessions, for self-monitoring and tests. */
	public int sessions() {
		return sessions.size();
	}

	/** Entries not sent to slow readers since start. */
	public long droppedEntries() {
		return droppedEntries.get();
	}

	private void pollAll() {
		for (Session session : sessions) {
			try {
				session.poll();
			}
			catch (RuntimeException e) {
				log.warn("live tail failed; closing it", e);
				session.socket.close(1011, "internal error");
			}
		}
	}

	@Override
	public void close() {
		poller.shutdownNow();
		for (Session session : sessions) {
			session.socket.close(1001, "server stopping");
		}
	}

	private final class Session implements Listener {

		private final LogSelector selector;

		private final long delayNanos;

		private final int limit;

		/** Entries with timestamps from here on have not been looked at yet. */
		private long cursor;

		private boolean first = true;

		private final List<String> dropped = new ArrayList<>();

		private volatile WebSocketSession socket;

		Session(LogSelector selector, long delayNanos, int limit, long start) {
			this.selector = selector;
			this.delayNanos = delayNanos;
			this.limit = limit;
			this.cursor = start;
		}

		@Override
		public void opened(WebSocketSession session) {
			socket = session;
			sessions.add(this);
		}

		@Override
		public void closed() {
			sessions.remove(this);
		}

		/** Runs on the poller thread only. */
		void poll() {
			if (!socket.isOpen()) {
				sessions.remove(this);
				return;
			}
			long end = clockNanos.getAsLong() - delayNanos;
			if (end <= cursor) {
				return;
			}
			// the first frame: the newest entries since start, as Loki's tail begins; then forward from the cursor
			List<LogQueryEngine.StreamResult> result = engine.selectLogs(selector, cursor, end, limit, first);
			first = false;
			long newest = -1;
			int entries = 0;
			for (LogQueryEngine.StreamResult stream : result) {
				for (LogQueryEngine.Line line : stream.lines()) {
					newest = Math.max(newest, line.timeNanos());
					entries++;
				}
			}
			// a full frame may have left entries behind: continue after the last one sent (forward polls only)
			cursor = entries >= limit && newest >= cursor && newest + 1 < end ? newest + 1 : end;
			if (entries == 0 && dropped.isEmpty()) {
				return;
			}
			if (!socket.writable()) {
				drop(result);
				return;
			}
			socket.sendText(frame(result));
			dropped.clear();
		}

		private void drop(List<LogQueryEngine.StreamResult> result) {
			for (LogQueryEngine.StreamResult stream : result) {
				for (LogQueryEngine.Line line : stream.lines()) {
					droppedEntries.incrementAndGet();
					if (dropped.size() < MAX_DROPPED_REPORTED) {
						StringBuilder entry = new StringBuilder("{\"labels\":");
						JsonOut.labels(entry, stream.labels());
						dropped.add(entry.append(",\"timestamp\":\"").append(line.timeNanos()).append("\"}").toString());
					}
				}
			}
		}

		private String frame(List<LogQueryEngine.StreamResult> result) {
			StringBuilder out = new StringBuilder("{\"streams\":[");
			for (int s = 0; s < result.size(); s++) {
				LogQueryEngine.StreamResult stream = result.get(s);
				out.append(s == 0 ? "" : ",").append("{\"stream\":");
				JsonOut.labels(out, stream.labels());
				out.append(",\"values\":[");
				List<LogQueryEngine.Line> lines = new ArrayList<>(stream.lines());
				lines.sort(Comparator.comparingLong(LogQueryEngine.Line::timeNanos)); // oldest first, as Loki tails
				for (int i = 0; i < lines.size(); i++) {
					out.append(i == 0 ? "" : ",").append("[\"").append(lines.get(i).timeNanos()).append("\",");
					JsonOut.string(out, lines.get(i).line());
					out.append(']');
				}
				out.append("]}");
			}
			out.append("],\"dropped_entries\":");
			if (dropped.isEmpty()) {
				out.append("null");
			}
			else {
				out.append('[').append(String.join(",", dropped)).append(']');
			}
			return out.append('}').toString();
		}

	}

}
