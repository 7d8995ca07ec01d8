package dev.vigil.telemetry;

import dev.vigil.telemetry.logs.LogStore;
import dev.vigil.telemetry.logs.LokiApi;
import dev.vigil.telemetry.logs.LokiTail;
import dev.vigil.telemetry.rules.RuleLoadException;
import dev.vigil.telemetry.rules.RuleUnitTester;
import dev.vigil.telemetry.receiver.TraceSink;
import dev.vigil.telemetry.server.CommandLine;
import dev.vigil.telemetry.server.QueryRoute;
import dev.vigil.telemetry.server.ServerConfig;
import dev.vigil.telemetry.server.TelemetryServer;
import dev.vigil.telemetry.server.UsageException;
import dev.vigil.telemetry.servicegraph.MetricsGenerator;
import dev.vigil.telemetry.traces.TempoApi;
import dev.vigil.telemetry.traces.TraceStore;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code vigil-telemetry [flags]} runs the server until interrupted; {@code vigil-telemetry test-rules FILE...} runs
 * {@code promtool test rules} files. Exit codes: 0 success, 1 failed rule tests or a runtime failure, 2 usage or
 * configuration error.
 */
public final class TelemetryMain {

	private TelemetryMain() {
	}

	public static void main(String[] args) {
		System.exit(run(args));
	}

	/** A store budget from the environment (local mode runs smaller stores than the defaults), or the default. */
	private static long budget(String variable, long dflt) {
		String value = System.getenv(variable);
		if (value == null || value.isBlank()) {
			return dflt;
		}
		try {
			long parsed = Long.parseLong(value.trim());
			if (parsed > 0) {
				return parsed;
			}
		}
		catch (NumberFormatException ignored) {
			// fall through to the message
		}
		throw new IllegalArgumentException(variable + "=" + value + " is not a positive whole number");
	}

	/** The running backend and its stores, so that tests and benchmarks can reach them. */
	record Backend(TelemetryServer server, TraceStore traces, LogStore logs, MetricsGenerator generator, LokiTail tail)
			implements AutoCloseable {

		@Override
		public void close() {
			server.close();
		}

	}

	static TelemetryServer startWithStores(ServerConfig config) throws IOException, RuleLoadException {
		return startBackend(config, MetricsGenerator.Config.defaults()).server();
	}

	static Backend startBackend(ServerConfig config, MetricsGenerator.Config generatorConfig)
			throws IOException, RuleLoadException {
		TraceStore.Config traceConfig = new TraceStore.Config(
				budget("VIGIL_TELEMETRY_MAX_SPANS", TraceStore.Config.defaults().maxSpans()),
				TraceStore.Config.defaults().retentionNanos());
		LogStore.Config logConfig = LogStore.Config.defaults();
		long maxLogs = budget("VIGIL_TELEMETRY_MAX_LOG_RECORDS", -1);
		if (maxLogs > 0) {
			logConfig = new LogStore.Config(maxLogs, logConfig.retentionNanos());
		}
		TraceStore traces = config.dataDir() == null ? new TraceStore(traceConfig)
				: TraceStore.open(traceConfig, config.dataDir().resolve("traces"));
		LogStore logs;
		try {
			logs = config.dataDir() == null ? new LogStore(logConfig)
					: LogStore.open(logConfig, config.dataDir().resolve("logs"));
		}
		catch (IOException | RuntimeException e) {
			traces.close();
			throw e;
		}
		MetricsGenerator generator = new MetricsGenerator(generatorConfig);
		TempoApi tempo = new TempoApi(traces);
		LokiApi loki = new LokiApi(logs);
		Map<String, QueryRoute> routes = new LinkedHashMap<>();
		routes.put("/api/traces/", tempo::handle);
		routes.put("/api/v2/", tempo::handle);
		routes.put("/api/search", tempo::handle);
		routes.put("/api/echo", tempo::handle);
		routes.put("/loki/api/v1/", loki::handle);
		LokiTail tail = new LokiTail(logs, Duration.ofMillis(500), 64);
		TraceSink spans = batch -> {
			traces.append(batch);
			generator.accept(batch);
		};
		TelemetryServer server;
		try {
			server = TelemetryServer.start(config, spans, logs, routes, Map.of("/loki/api/v1/tail", tail));
		}
		catch (IOException | RuleLoadException | RuntimeException e) {
			tail.close();
			logs.close();
			traces.close();
			throw e;
		}
		generator.start(server.storage()::append);
		// the stores' sizes and what they had to drop, watched with PromQL like the metrics store's own counts
		server.addSelfMetric("vigil_telemetry_trace_store_spans", traces::spanCount);
		server.addSelfMetric("vigil_telemetry_trace_store_estimated_bytes", traces::estimatedBytes);
		server.addSelfMetric("vigil_telemetry_trace_store_spans_stored_total", traces::ingestedSpans);
		server.addSelfMetric("vigil_telemetry_trace_store_spans_evicted_total", traces::evictedSpans);
		server.addSelfMetric("vigil_telemetry_trace_store_wal_write_errors_total", traces::walWriteErrors);
		server.addSelfMetric("vigil_telemetry_log_store_records", logs::recordCount);
		server.addSelfMetric("vigil_telemetry_log_store_estimated_bytes", logs::estimatedBytes);
		server.addSelfMetric("vigil_telemetry_log_store_records_stored_total", logs::ingestedRecords);
		server.addSelfMetric("vigil_telemetry_log_store_records_evicted_total", logs::evictedRecords);
		server.addSelfMetric("vigil_telemetry_log_store_wal_write_errors_total", logs::walWriteErrors);
		server.closeOnShutdown(tail);
		server.closeOnShutdown(generator);
		server.closeOnShutdown(traces);
		server.closeOnShutdown(logs::close);
		return new Backend(server, traces, logs, generator, tail);
	}

	static int run(String[] args) {
		if (args.length > 0 && args[0].equals("test-rules")) {
			List<Path> files = new ArrayList<>();
			for (String a : Arrays.copyOfRange(args, 1, args.length)) {
				files.add(Path.of(a));
			}
			if (files.isEmpty()) {
				System.err.println("vigil-telemetry: error: test-rules needs at least one test file");
				System.err.println("  fix: vigil-telemetry test-rules path/to/tests.yml ...");
				return 2;
			}
			return RuleUnitTester.run(files, System.out) ? 0 : 1;
		}
		ServerConfig config;
		try {
			config = CommandLine.parse(args, System.getenv());
		}
		catch (UsageException e) {
			System.err.println("vigil-telemetry: error: " + e.getMessage());
			System.err.println("  fix: " + e.fix());
			return 2;
		}
		if (config == null) {
			System.out.print(CommandLine.USAGE);
			return 0;
		}
		TelemetryServer server;
		try {
			server = startWithStores(config);
		}
		catch (RuleLoadException e) {
			System.err.println("vigil-telemetry: error: invalid rule files:");
			System.err.println(e.getMessage().indent(2).stripTrailing());
			System.err.println("  fix: correct the rules named above; check them with: vigil-telemetry test-rules");
			return 2;
		}
		catch (IOException | RuntimeException e) {
			for (Throwable c = e; c != null; c = c.getCause()) {
				if (c instanceof BindException) {
					// gRPC wraps the bind failure; the port is the actionable part
					System.err.println("vigil-telemetry: error: cannot listen: " + e.getMessage() + " (" + c.getMessage()
							+ ")");
					System.err.println("  fix: stop the process using the port, or choose others with --http-port=, "
							+ "--otlp-grpc-port=, --otlp-http-port= (0 picks a free port)");
					return 2;
				}
			}
			System.err.println("vigil-telemetry: error: cannot start: " + e);
			return 1;
		}
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			server.close();
			stopped.countDown();
		}, "shutdown"));
		try {
			stopped.await();
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		return 0;
	}

}
