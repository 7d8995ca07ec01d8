package dev.vigil.telemetry.server;

import dev.vigil.telemetry.notifier.Notifier;
import dev.vigil.telemetry.notifier.NotifierConfig;
import dev.vigil.telemetry.otlp.ExemplarStore;
import dev.vigil.telemetry.otlp.MetricsTranslator;
import dev.vigil.telemetry.otlp.StorageSink;
import dev.vigil.telemetry.promql.Engine;
import dev.vigil.telemetry.receiver.IngestLimiter;
import dev.vigil.telemetry.receiver.LogSink;
import dev.vigil.telemetry.receiver.OtlpGrpcReceiver;
import dev.vigil.telemetry.receiver.OtlpHttpReceiver;
import dev.vigil.telemetry.receiver.OtlpIngest;
import dev.vigil.telemetry.receiver.ReceiverStats;
import dev.vigil.telemetry.receiver.TraceSink;
import dev.vigil.telemetry.rules.AlertListener;
import dev.vigil.telemetry.rules.EngineQueryFunc;
import dev.vigil.telemetry.rules.ForStateRestore;
import dev.vigil.telemetry.rules.RuleFileParser;
import dev.vigil.telemetry.rules.RuleGroup;
import dev.vigil.telemetry.rules.RuleLoadException;
import dev.vigil.telemetry.rules.RuleManager;
import dev.vigil.telemetry.tsdb.Storage;
import dev.vigil.telemetry.tsdb.StorageConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * vigil-telemetry, assembled: storage, PromQL engine, OTLP receivers, rules, notifier, query API and
 * self-monitoring. {@link #start} returns once every listener is bound; {@link #close} stops intake first, then
 * evaluation, then flushes storage.
 */
public final class TelemetryServer implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(TelemetryServer.class);

	private final ServerConfig config;
	private final Storage storage;
	private final Engine engine;
	private final ExemplarStore exemplars;
	private final OtlpIngest ingest;
	private final RuleManager rules;
	private final Notifier notifier;
	private final List<AutoCloseable> closeables = new ArrayList<>();
	private OtlpGrpcReceiver grpc;
	private OtlpHttpReceiver otlpHttp;
	private HttpFrontend http;
	private SelfMonitor selfMonitor;
	private ScheduledExecutorService selfMonitorTimer;
	private volatile boolean ready;

	private TelemetryServer(ServerConfig config, Storage storage, Engine engine, ExemplarStore exemplars,
			OtlpIngest ingest, RuleManager rules, Notifier notifier) {
		this.config = config;
		this.storage = storage;
		this.engine = engine;
		this.exemplars = exemplars;
		this.ingest = ingest;
		this.rules = rules;
		this.notifier = notifier;
	}

	/** Starts with spans and logs only counted (until the span and log stores exist). */
	public static TelemetryServer start(ServerConfig config) throws IOException, RuleLoadException {
		return start(config, TraceSink.DISCARD, LogSink.DISCARD);
	}

	public static TelemetryServer start(ServerConfig config, TraceSink traces, LogSink logs)
			throws IOException, RuleLoadException {
		return start(config, traces, logs, Map.of());
	}

	/**
	 * Starts with span and log stores and their query APIs, mounted under path prefixes (e.g. {@code /loki/api/v1/}).
	 */
	public static TelemetryServer start(ServerConfig config, TraceSink traces, LogSink logs,
			Map<String, QueryRoute> routes) throws IOException, RuleLoadException {
		return start(config, traces, logs, routes, Map.of());
	}

	/** As above, plus WebSocket endpoints mounted under path prefixes (Loki's {@code /loki/api/v1/tail}). */
	public static TelemetryServer start(ServerConfig config, TraceSink traces, LogSink logs,
			Map<String, QueryRoute> routes, Map<String, WebSocketRoute> sockets) throws IOException, RuleLoadException {
		List<RuleGroup> groups = new RuleFileParser(EngineQueryFunc.CHECKER).load(config.ruleFiles(),
				config.evaluationInterval().toMillis());
		Storage storage = Storage.open(new StorageConfig(config.dataDir(), config.retention(),
				config.memoryBudgetBytes(), StorageConfig.DEFAULT_SNAPSHOT_INTERVAL));
		Engine engine = new Engine(storage);
		ExemplarStore exemplars = new ExemplarStore(10, 100_000);
		MetricsTranslator translator = new MetricsTranslator(config.maxSeriesPerRequest(), 500_000, exemplars);
		OtlpIngest ingest = new OtlpIngest(translator, new StorageSink(storage), traces, logs,
				new IngestLimiter(config.maxInFlightRequests()));
		Notifier notifier = null;
		String externalURL = "http://" + hostName() + ":" + config.httpPort();
		AlertListener listener = AlertListener.NONE;
		if (!config.alerting().webhooks().isEmpty()) {
			ServerConfig.Alerting a = config.alerting();
			notifier = Notifier.start(NotifierConfig.of(a.webhooks(), a.groupBy(), a.groupWait(), a.groupInterval(),
					a.repeatInterval(), externalURL));
			listener = notifier;
		}
		// alerts keep their `for` progress across restarts when the data persists (nothing to restore otherwise)
		RuleManager rules = new RuleManager(groups, new EngineQueryFunc(engine), storage::append, listener, Map.of(),
				externalURL, config.dataDir() == null ? null : ForStateRestore.withDefaults(storage));
		TelemetryServer s = new TelemetryServer(config, storage, engine, exemplars, ingest, rules, notifier);
		try {
			s.startListeners(routes, sockets);
		}
		catch (IOException | RuntimeException e) {
			s.close();
			throw e;
		}
		return s;
	}

	private void startListeners(Map<String, QueryRoute> routes, Map<String, WebSocketRoute> sockets)
			throws IOException {
		int cores = Runtime.getRuntime().availableProcessors();
		http = HttpFrontend.start(config.listenAddress(), config.httpPort(),
				PrometheusApiHandler.create(storage, engine, exemplars), rules, () -> ready, routes, sockets,
				Math.max(4, cores));
		otlpHttp = OtlpHttpReceiver.start(config.listenAddress(), config.otlpHttpPort(), ingest,
				config.maxRequestBytes(), Math.max(2, cores));
		grpc = OtlpGrpcReceiver.start(config.listenAddress(), config.otlpGrpcPort(), ingest,
				config.maxRequestBytes(), Math.max(2, cores));
		rules.start(System::currentTimeMillis);
		selfMonitor = selfMonitor(hostName() + ":" + http.port());
		selfMonitorTimer = Executors.newSingleThreadScheduledExecutor(r -> {
			Thread t = new Thread(r, "self-monitor");
			t.setDaemon(true);
			return t;
		});
		long every = config.selfMonitorInterval().toMillis();
		selfMonitorTimer.scheduleAtFixedRate(() -> {
			try {
				selfMonitor.collect(System.currentTimeMillis());
			}
			catch (RuntimeException e) {
				log.warn("self-monitoring failed", e);
			}
		}, 0, every, TimeUnit.MILLISECONDS);
		ready = true;
		log.info("vigil-telemetry ready: HTTP :{}, OTLP gRPC :{}, OTLP HTTP :{}, {} rule groups", http.port(),
				grpc.port(), otlpHttp.port(), rules.groups().size());
	}

	private SelfMonitor selfMonitor(String instance) {
		ReceiverStats r = ingest.stats();
		SelfMonitor m = new SelfMonitor(storage, instance);
		m.add("up", () -> 1)
			.add("vigil_telemetry_data_points_received_total", r::dataPointsReceived)
			.add("vigil_telemetry_data_points_rejected_total", r::dataPointsRejected)
			.add("vigil_telemetry_samples_appended_total", r::samplesAppended)
			.add("vigil_telemetry_spans_received_total", r::spansReceived)
			.add("vigil_telemetry_spans_rejected_total", r::spansRejected)
			.add("vigil_telemetry_log_records_received_total", r::logRecordsReceived)
			.add("vigil_telemetry_ingest_requests_throttled_total", r::requestsThrottled)
			.add("vigil_telemetry_ingest_requests_invalid_total", r::requestsInvalid)
			.add("vigil_telemetry_ingest_requests_too_large_total", r::requestsTooLarge)
			.add("vigil_telemetry_ingest_requests_in_flight", () -> ingest.limiter().inFlight())
			.add("vigil_telemetry_queries_total", () -> http.queries.sum())
			.add("vigil_telemetry_query_errors_total", () -> http.queryErrors.sum())
			.add("vigil_telemetry_rule_evaluations_total", () -> rules.evaluationCounts()[0])
			.add("vigil_telemetry_rule_evaluation_failures_total", () -> rules.evaluationCounts()[1])
			.add("vigil_telemetry_exemplars_dropped_total", exemplars::dropped)
			.add("vigil_telemetry_storage_series", () -> storage.stats().series())
			.add("vigil_telemetry_storage_estimated_bytes", () -> storage.stats().estimatedBytes())
			.add("vigil_telemetry_storage_samples_appended_total", () -> storage.stats().samplesAppended())
			.add("vigil_telemetry_storage_samples_out_of_order_total", () -> storage.stats().outOfOrder())
			.add("vigil_telemetry_storage_samples_dropped_total", () -> storage.stats().droppedSamples())
			.add("vigil_telemetry_storage_samples_rejected_over_budget_total",
					() -> storage.stats().rejectedOverBudget());
		if (notifier != null) {
			m.add("vigil_telemetry_notifications_sent_total", notifier::sent)
				.add("vigil_telemetry_notifications_failed_total", notifier::failed)
				.add("vigil_telemetry_notifications_dropped_total", notifier::dropped)
				.add("vigil_telemetry_notifications_queue_length", notifier::queueLength);
		}
		return m;
	}

	/**
	 * Adds a self-metric ({@code vigil_telemetry_*}, {@code job="vigil-telemetry"}) of a component assembled around
	 * the server, such as the span and log stores' sizes and eviction counts; collected with the server's own.
	 */
	public void addSelfMetric(String name, DoubleSupplier value) {
		selfMonitor.add(name, value);
	}

	/** Closed after intake stops and before the metrics storage, e.g. the span and log stores. */
	public void closeOnShutdown(AutoCloseable c) {
		closeables.add(c);
	}

	/** Stores one round of self-metrics now (tests; the timer does it every 15 s). */
	public void collectSelfMetrics(long ts) {
		selfMonitor.collect(ts);
	}

	// not InetAddress.getLocalHost(): that can block for seconds on hosts without working reverse DNS
	private static String hostName() {
		String h = System.getenv("HOSTNAME");
		return h == null || h.isBlank() ? "localhost" : h;
	}

	public int httpPort() {
		return http.port();
	}

	public int otlpGrpcPort() {
		return grpc.port();
	}

	public int otlpHttpPort() {
		return otlpHttp.port();
	}

	public Storage storage() {
		return storage;
	}

	public Engine engine() {
		return engine;
	}

	public RuleManager rules() {
		return rules;
	}

	public ReceiverStats receiverStats() {
		return ingest.stats();
	}

	public OtlpIngest ingest() {
		return ingest;
	}

	public ExemplarStore exemplars() {
		return exemplars;
	}

	@Override
	public void close() {
		ready = false;
		// intake first, so nothing arrives after the final snapshot
		closeQuietly(grpc);
		closeQuietly(otlpHttp);
		closeQuietly(rules);
		closeQuietly(notifier);
		if (selfMonitorTimer != null) {
			selfMonitorTimer.shutdownNow();
		}
		closeQuietly(http);
		// before the metrics storage: a closeable may still write to it (the span-metrics generator)
		for (AutoCloseable c : closeables) {
			closeQuietly(c);
		}
		closeQuietly(storage);
		log.info("vigil-telemetry stopped");
	}

	private static void closeQuietly(AutoCloseable c) {
		if (c == null) {
			return;
		}
		try {
			c.close();
		}
		catch (Exception e) {
			log.warn("error while stopping {}", c.getClass().getSimpleName(), e);
		}
	}

}
