package dev.vigil.telemetry.server;

import dev.vigil.telemetry.tsdb.DurationParser;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Builds a {@link ServerConfig} from, in increasing precedence: defaults, {@code VIGIL_TELEMETRY_*} environment
 * variables, the {@code --config} YAML file, and command-line flags. Every mistake becomes a {@link UsageException}
 * naming the flag or key and the fix.
 */
public final class CommandLine {

	public static final String USAGE = """
			usage: vigil-telemetry [flags]
			       vigil-telemetry test-rules FILE...

			flags (defaults in brackets; 0 as a port picks a free one):
			  --http-port=N            query API and console [9090]
			  --otlp-grpc-port=N       OTLP/gRPC receiver [4317]
			  --otlp-http-port=N       OTLP/HTTP receiver [4318]
			  --listen-address=ADDR    address to bind [0.0.0.0]
			  --data-dir=DIR           persistence directory; empty keeps data in memory only [.vigil/telemetry]
			  --retention=DURATION     how long samples are kept, e.g. 6h [6h]
			  --memory-budget-mb=N     heap for samples [256]
			  --rules=FILE,...         Prometheus rule files
			  --evaluation-interval=D  default rule group interval [1m]
			  --alert-webhook=URL,...  Alertmanager-webhook receivers for firing/resolved alerts
			  --config=FILE            YAML file with the same settings (keys as flags, with _ for -)
			  --help                   this text
			""";

	private CommandLine() {
	}

	/** Returns null when help was requested. */
	public static ServerConfig parse(String[] args, Map<String, String> env) throws UsageException {
		Map<String, String> settings = new LinkedHashMap<>();
		String env1 = env.get("VIGIL_TELEMETRY_DATA_DIR");
		if (env1 != null && !env1.isBlank()) {
			settings.put("data-dir", env1);
		}
		String env2 = env.get("VIGIL_TELEMETRY_RETENTION");
		if (env2 != null && !env2.isBlank()) {
			settings.put("retention", env2);
		}
		String env3 = env.get("VIGIL_TELEMETRY_MEMORY_MB");
		if (env3 != null && !env3.isBlank()) {
			settings.put("memory-budget-mb", env3);
		}
		Map<String, String> flags = new LinkedHashMap<>();
		for (String arg : args) {
			if (arg.equals("--help") || arg.equals("-h")) {
				return null;
			}
			if (!arg.startsWith("--")) {
				throw new UsageException("unexpected argument \"" + arg + "\"",
						"flags have the form --name=value; run with --help for the list");
			}
			int eq = arg.indexOf('=');
			if (eq < 0) {
				throw new UsageException("flag " + arg + " needs a value", "write it as " + arg + "=VALUE");
			}
			String name = arg.substring(2, eq);
			if (!KNOWN.contains(name) && !name.equals("config")) {
				throw new UsageException("unknown flag --" + name, "run with --help for the list of flags");
			}
			String value = arg.substring(eq + 1);
			if (name.equals("rules") || name.equals("alert-webhook")) {
				// repeated list flags accumulate
				String prev = flags.get(name);
				value = prev == null || prev.isEmpty() ? value : prev + "," + value;
			}
			flags.put(name, value);
		}
		String configFile = flags.remove("config");
		if (configFile != null) {
			settings.putAll(readConfigFile(Path.of(configFile)));
		}
		settings.putAll(flags);
		return build(settings);
	}

	private static final List<String> KNOWN = List.of("http-port", "otlp-grpc-port", "otlp-http-port",
			"listen-address", "data-dir", "retention", "memory-budget-mb", "rules", "evaluation-interval",
			"alert-webhook", "group-by", "group-wait", "group-interval", "repeat-interval",
			"max-series-per-request", "max-request-bytes", "max-in-flight-requests", "self-monitor-interval");

	private static Map<String, String> readConfigFile(Path file) throws UsageException {
		if (!Files.isReadable(file)) {
			throw new UsageException("config file " + file + " does not exist or is not readable",
					"check the path given to --config");
		}
		Object root;
		try (Reader r = Files.newBufferedReader(file)) {
			root = new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
		}
		catch (IOException | YAMLException e) {
			throw new UsageException("cannot read config file " + file + ": " + e.getMessage(),
					"fix the YAML syntax at the position shown");
		}
		Map<String, String> out = new LinkedHashMap<>();
		if (root == null) {
			return out;
		}
		if (!(root instanceof Map<?, ?> map)) {
			throw new UsageException("config file " + file + " must be a YAML mapping",
					"write settings as key: value lines, e.g. http_port: 9090");
		}
		for (Map.Entry<?, ?> e : map.entrySet()) {
			String key = String.valueOf(e.getKey()).replace('_', '-');
			if (key.equals("alert-webhooks")) {
				key = "alert-webhook";
			}
			if (key.equals("rule-files")) {
				key = "rules";
			}
			if (!KNOWN.contains(key)) {
				throw new UsageException("config file " + file + ": unknown key \"" + e.getKey() + "\"",
						"known keys: " + String.join(", ", KNOWN).replace('-', '_'));
			}
			Object v = e.getValue();
			if (v instanceof List<?> list) {
				List<String> parts = new ArrayList<>();
				list.forEach(x -> parts.add(String.valueOf(x)));
				out.put(key, String.join(",", parts));
			}
			else {
				out.put(key, v == null ? "" : String.valueOf(v));
			}
		}
		return out;
	}

	private static ServerConfig build(Map<String, String> s) throws UsageException {
		ServerConfig d = ServerConfig.defaults();
		ServerConfig.Alerting a = d.alerting();
		String listen = s.getOrDefault("listen-address", d.listenAddress());
		int http = port(s, "http-port", d.httpPort());
		int grpc = port(s, "otlp-grpc-port", d.otlpGrpcPort());
		int otlpHttp = port(s, "otlp-http-port", d.otlpHttpPort());
		Path dataDir = d.dataDir();
		if (s.containsKey("data-dir")) {
			String v = s.get("data-dir").trim();
			dataDir = v.isEmpty() ? null : Path.of(v);
		}
		Duration retention = duration(s, "retention", d.retention());
		long memory = d.memoryBudgetBytes();
		if (s.containsKey("memory-budget-mb")) {
			memory = positiveInt(s, "memory-budget-mb", 0) * 1024L * 1024L;
		}
		List<Path> rules = new ArrayList<>();
		for (String f : list(s.get("rules"))) {
			Path p = Path.of(f);
			if (!Files.isReadable(p)) {
				throw new UsageException("rule file " + f + " does not exist or is not readable",
						"check the paths given to --rules (comma-separated)");
			}
			rules.add(p);
		}
		Duration evalInterval = duration(s, "evaluation-interval", d.evaluationInterval());
		List<URI> hooks = new ArrayList<>();
		for (String u : list(s.get("alert-webhook"))) {
			try {
				URI uri = new URI(u);
				if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
					throw new URISyntaxException(u, "not an http(s) URL with a host");
				}
				hooks.add(uri);
			}
			catch (URISyntaxException e) {
				throw new UsageException("--alert-webhook: invalid URL \"" + u + "\": " + e.getReason(),
						"give an absolute URL such as http://127.0.0.1:8086/alerts");
			}
		}
		List<String> groupBy = s.containsKey("group-by") ? list(s.get("group-by")) : a.groupBy();
		ServerConfig.Alerting alerting = new ServerConfig.Alerting(hooks, groupBy,
				duration(s, "group-wait", a.groupWait()), duration(s, "group-interval", a.groupInterval()),
				duration(s, "repeat-interval", a.repeatInterval()));
		return new ServerConfig(listen, http, grpc, otlpHttp, dataDir, retention, memory, rules, evalInterval,
				alerting, positiveInt(s, "max-series-per-request", d.maxSeriesPerRequest()),
				positiveInt(s, "max-request-bytes", d.maxRequestBytes()),
				positiveInt(s, "max-in-flight-requests", d.maxInFlightRequests()),
				duration(s, "self-monitor-interval", d.selfMonitorInterval()));
	}

	private static List<String> list(String v) {
		List<String> out = new ArrayList<>();
		if (v != null) {
			for (String part : v.split(",")) {
				if (!part.isBlank()) {
					out.add(part.trim());
				}
			}
		}
		return out;
	}

	private static int port(Map<String, String> s, String key, int def) throws UsageException {
		String v = s.get(key);
		if (v == null) {
			return def;
		}
		try {
			int p = Integer.parseInt(v.trim());
			if (p >= 0 && p <= 65535) {
				return p;
			}
		}
		catch (NumberFormatException e) {
			// reported below
		}
		throw new UsageException("--" + key + ": \"" + v + "\" is not a port number",
				"use a number from 1 to 65535, or 0 for any free port");
	}

	private static int positiveInt(Map<String, String> s, String key, int def) throws UsageException {
		String v = s.get(key);
		if (v == null) {
			return def;
		}
		try {
			int n = Integer.parseInt(v.trim());
			if (n > 0) {
				return n;
			}
		}
		catch (NumberFormatException e) {
			// reported below
		}
		throw new UsageException("--" + key + ": \"" + v + "\" is not a positive whole number",
				"use a number greater than 0, e.g. --" + key + "=" + (def > 0 ? def : 256));
	}

	private static Duration duration(Map<String, String> s, String key, Duration def) throws UsageException {
		String v = s.get(key);
		if (v == null) {
			return def;
		}
		try {
			long ms = DurationParser.parseMillis(v.trim());
			if (ms > 0) {
				return Duration.ofMillis(ms);
			}
		}
		catch (IllegalArgumentException e) {
			// reported below
		}
		throw new UsageException("--" + key + ": \"" + v + "\" is not a duration",
				"use a Prometheus duration such as 30s, 5m, 6h or 1h30m");
	}

}
