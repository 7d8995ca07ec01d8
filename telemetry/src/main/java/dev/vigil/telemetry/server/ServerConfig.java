package dev.vigil.telemetry.server;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything a user can set, with Prometheus-like defaults. Port 0 means "any free port" (tests); the bound ports are
 * available from {@link TelemetryServer}.
 *
 * @param listenAddress address every listener binds (default {@code 0.0.0.0})
 * @param httpPort query API and console (default 9090)
 * @param otlpGrpcPort OTLP/gRPC (default 4317)
 * @param otlpHttpPort OTLP/HTTP (default 4318)
 * @param dataDir snapshots and append log; {@code null} keeps data in memory only (default {@code .vigil/telemetry})
 * @param retention how long samples are kept (default 6h)
 * @param memoryBudgetBytes heap the samples may use (default 256 MB)
 * @param ruleFiles Prometheus rule files to load (default none)
 * @param evaluationInterval rule group interval when a group sets none (default 1m, as Prometheus)
 * @param alerting where and how alerts are sent
 * @param maxSeriesPerRequest distinct series one OTLP request may create or write (default 50,000)
 * @param maxRequestBytes largest OTLP request, decompressed (default 16 MiB)
 * @param maxInFlightRequests OTLP requests processed at once before 429/RESOURCE_EXHAUSTED (default 16)
 * @param selfMonitorInterval how often the server's own metrics are stored (default 15s)
 */
public record ServerConfig(String listenAddress, int httpPort, int otlpGrpcPort, int otlpHttpPort, Path dataDir,
		Duration retention, long memoryBudgetBytes, List<Path> ruleFiles, Duration evaluationInterval,
		Alerting alerting, int maxSeriesPerRequest, int maxRequestBytes, int maxInFlightRequests,
		Duration selfMonitorInterval) {

	public static final Path DEFAULT_DATA_DIR = Path.of(".vigil", "telemetry");

	public ServerConfig {
		ruleFiles = List.copyOf(ruleFiles);
	}

	public static ServerConfig defaults() {
		return new ServerConfig("0.0.0.0", 9090, 4317, 4318, DEFAULT_DATA_DIR, Duration.ofHours(6),
				256L * 1024 * 1024, List.of(), Duration.ofMinutes(1), Alerting.defaults(), 50_000, 16 * 1024 * 1024,
				16, Duration.ofSeconds(15));
	}

	/** In memory, on ephemeral ports of the loopback interface: for tests. */
	public static ServerConfig forTests() {
		return defaults().withPorts("127.0.0.1", 0, 0, 0).withDataDir(null);
	}

	public ServerConfig withPorts(String address, int http, int grpc, int otlpHttp) {
		return new ServerConfig(address, http, grpc, otlpHttp, dataDir, retention, memoryBudgetBytes, ruleFiles,
				evaluationInterval, alerting, maxSeriesPerRequest, maxRequestBytes, maxInFlightRequests,
				selfMonitorInterval);
	}

	public ServerConfig withDataDir(Path dir) {
		return new ServerConfig(listenAddress, httpPort, otlpGrpcPort, otlpHttpPort, dir, retention,
				memoryBudgetBytes, ruleFiles, evaluationInterval, alerting, maxSeriesPerRequest, maxRequestBytes,
				maxInFlightRequests, selfMonitorInterval);
	}

	public ServerConfig withRules(List<Path> files, Duration interval) {
		return new ServerConfig(listenAddress, httpPort, otlpGrpcPort, otlpHttpPort, dataDir, retention,
				memoryBudgetBytes, files, interval, alerting, maxSeriesPerRequest, maxRequestBytes,
				maxInFlightRequests, selfMonitorInterval);
	}

	public ServerConfig withAlerting(Alerting a) {
		return new ServerConfig(listenAddress, httpPort, otlpGrpcPort, otlpHttpPort, dataDir, retention,
				memoryBudgetBytes, ruleFiles, evaluationInterval, a, maxSeriesPerRequest, maxRequestBytes,
				maxInFlightRequests, selfMonitorInterval);
	}

	public ServerConfig withLimits(int seriesPerRequest, int requestBytes, int inFlight) {
		return new ServerConfig(listenAddress, httpPort, otlpGrpcPort, otlpHttpPort, dataDir, retention,
				memoryBudgetBytes, ruleFiles, evaluationInterval, alerting, seriesPerRequest, requestBytes, inFlight,
				selfMonitorInterval);
	}

	public ServerConfig withSelfMonitorInterval(Duration d) {
		return new ServerConfig(listenAddress, httpPort, otlpGrpcPort, otlpHttpPort, dataDir, retention,
				memoryBudgetBytes, ruleFiles, evaluationInterval, alerting, maxSeriesPerRequest, maxRequestBytes,
				maxInFlightRequests, d);
	}

	/**
	 * Alert delivery, as an Alertmanager route with webhook receivers.
	 *
	 * @param webhooks receiver URLs; alerts are evaluated but not sent when empty
	 * @param groupBy labels alerts are grouped by (default {@code alertname})
	 * @param groupWait delay before the first notification of a new group (default 30s)
	 * @param groupInterval delay before notifying about changes in a group (default 5m)
	 * @param repeatInterval delay before re-sending an unchanged firing group (default 4h)
	 */
	public record Alerting(List<URI> webhooks, List<String> groupBy, Duration groupWait, Duration groupInterval,
			Duration repeatInterval) {

		public Alerting {
			webhooks = List.copyOf(webhooks);
			groupBy = List.copyOf(groupBy);
		}

		public static Alerting defaults() {
			return new Alerting(List.of(), List.of("alertname"), Duration.ofSeconds(30), Duration.ofMinutes(5),
					Duration.ofHours(4));
		}

		public Alerting withWebhooks(List<URI> urls) {
			return new Alerting(urls, groupBy, groupWait, groupInterval, repeatInterval);
		}

		public Alerting withTimings(Duration wait, Duration interval, Duration repeat) {
			return new Alerting(webhooks, groupBy, wait, interval, repeat);
		}

	}

}
