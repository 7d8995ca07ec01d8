package dev.vigil.telemetry.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.telemetry.promql.Engine;
import dev.vigil.telemetry.rules.EngineQueryFunc;
import dev.vigil.telemetry.rules.RuleFileParser;
import dev.vigil.telemetry.rules.RuleManager;
import dev.vigil.telemetry.tsdb.Labels;
import dev.vigil.telemetry.tsdb.Storage;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Rule evaluation drives the notifier with explicit timestamps; a real HTTP receiver records the webhooks. */
class NotifierTest {

	private static final long T0 = 1_700_000_000_000L;

	private final List<String> bodies = new CopyOnWriteArrayList<>();

	private final AtomicInteger failuresToSimulate = new AtomicInteger();

	private HttpServer receiver;

	private Storage storage;

	private Notifier notifier;

	private RuleManager rules;

	@BeforeEach
	void setUp(@TempDir Path dir) throws Exception {
		receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
		receiver.createContext("/hook", ex -> {
			byte[] body = ex.getRequestBody().readAllBytes();
			if (failuresToSimulate.getAndDecrement() > 0) {
				ex.sendResponseHeaders(503, -1);
			}
			else {
				bodies.add(new String(body, StandardCharsets.UTF_8));
				ex.sendResponseHeaders(200, -1);
			}
			ex.close();
		});
		receiver.start();
		Path ruleFile = dir.resolve("rules.yml");
		Files.writeString(ruleFile, """
				groups:
				  - name: availability
				    interval: 15s
				    rules:
				      - alert: ServiceDown
				        expr: up == 0
				        labels:
				          severity: page
				        annotations:
				          summary: "{{ $labels.job }} is down"
				""");
		storage = Storage.inMemory();
		URI hook = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
		notifier = Notifier.manual(new NotifierConfig(List.of(hook), List.of("alertname"), Duration.ofSeconds(30),
				Duration.ofMinutes(5), Duration.ofHours(4), "http://vigil:9090", 10, 5, Duration.ofMillis(10)),
				() -> T0);
		rules = new RuleManager(new RuleFileParser(EngineQueryFunc.CHECKER).load(List.of(ruleFile), 60_000),
				new EngineQueryFunc(new Engine(storage)), storage::append, notifier, Map.of(), "http://vigil:9090");
	}

	@AfterEach
	void tearDown() {
		notifier.close();
		rules.close();
		receiver.stop(0);
	}

	private void up(long t, double v) {
		storage.append(Labels.of("__name__", "up", "job", "orders", "instance", "o-1"), t, v);
	}

	private JsonNode awaitPayload(int n) {
		await().atMost(Duration.ofSeconds(10)).until(() -> bodies.size() >= n);
		return JsonMapper.builder().build().readTree(bodies.get(n - 1));
	}

	@Test
	void shouldNotifyFiringAfterGroupWaitAndResolvedAfterGroupInterval() {
		up(T0, 0);
		rules.evalAll(T0);
		notifier.flush(T0);
		notifier.flush(T0 + 29_000);
		assertThat(notifier.queueLength()).isZero();
		assertThat(bodies).isEmpty();

		notifier.flush(T0 + 30_000);
		JsonNode firing = awaitPayload(1);
		assertThat(firing.path("version").asString()).isEqualTo("4");
		assertThat(firing.path("status").asString()).isEqualTo("firing");
		assertThat(firing.path("groupKey").asString()).isEqualTo("{}:{alertname=\"ServiceDown\"}");
		assertThat(firing.path("groupLabels").path("alertname").asString()).isEqualTo("ServiceDown");
		assertThat(firing.path("commonLabels").path("severity").asString()).isEqualTo("page");
		assertThat(firing.path("commonAnnotations").path("summary").asString()).isEqualTo("orders is down");
		assertThat(firing.path("externalURL").asString()).isEqualTo("http://vigil:9090");
		JsonNode alert = firing.path("alerts").get(0);
		assertThat(alert.path("status").asString()).isEqualTo("firing");
		assertThat(alert.path("labels").path("instance").asString()).isEqualTo("o-1");
		assertThat(alert.path("startsAt").asString()).isEqualTo("2023-11-14T22:13:20Z");
		assertThat(alert.path("endsAt").asString()).isEqualTo("0001-01-01T00:00:00Z");
		assertThat(alert.path("generatorURL").asString()).startsWith("http://vigil:9090/graph?g0.expr=up+%3D%3D+0");
		assertThat(alert.path("fingerprint").asString()).hasSize(16);

		// unchanged group at the next group_interval tick: nothing new before repeat_interval
		up(T0 + 300_000, 0);
		rules.evalAll(T0 + 300_000);
		notifier.flush(T0 + 330_000);
		up(T0 + 420_000, 1);
		rules.evalAll(T0 + 420_000);
		notifier.flush(T0 + 420_000);
		assertThat(bodies).hasSize(1);

		// resolution is reported at the following group_interval tick
		notifier.flush(T0 + 630_000);
		JsonNode resolved = awaitPayload(2);
		assertThat(resolved.path("status").asString()).isEqualTo("resolved");
		assertThat(resolved.path("alerts").get(0).path("endsAt").asString()).isEqualTo("2023-11-14T22:20:20Z");
		assertThat(alert.path("fingerprint").asString())
			.isEqualTo(resolved.path("alerts").get(0).path("fingerprint").asString());
	}

	@Test
	void shouldRetryWithBackoffWhenTheReceiverFails() {
		failuresToSimulate.set(2);
		up(T0, 0);
		rules.evalAll(T0);
		notifier.flush(T0);
		notifier.flush(T0 + 30_000);
		JsonNode firing = awaitPayload(1);
		assertThat(firing.path("status").asString()).isEqualTo("firing");
		await().atMost(Duration.ofSeconds(5)).until(() -> notifier.sent() == 1);
		assertThat(notifier.failed()).isZero();
	}

	@Test
	void shouldComputeAlertmanagerFingerprints() {
		// value from Alertmanager/Prometheus model.LabelSet{"alertname": "ServiceDown"}.Fingerprint()
		assertThat(Fingerprint.of(Labels.EMPTY)).isEqualTo("cbf29ce484222325");
	}

}
