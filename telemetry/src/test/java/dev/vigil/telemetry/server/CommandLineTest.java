package dev.vigil.telemetry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {

	@Test
	void shouldUsePrometheusLikeDefaults() throws Exception {
		ServerConfig c = CommandLine.parse(new String[0], Map.of());
		assertThat(c.httpPort()).isEqualTo(9090);
		assertThat(c.otlpGrpcPort()).isEqualTo(4317);
		assertThat(c.otlpHttpPort()).isEqualTo(4318);
		assertThat(c.dataDir()).isEqualTo(Path.of(".vigil/telemetry"));
		assertThat(c.retention()).isEqualTo(Duration.ofHours(6));
		assertThat(c.memoryBudgetBytes()).isEqualTo(256L * 1024 * 1024);
	}

	@Test
	void shouldLetFlagsOverrideTheConfigFile(@TempDir Path dir) throws Exception {
		Path rules = Files.writeString(dir.resolve("r.yml"), "groups: []\n");
		Path cfg = Files.writeString(dir.resolve("vigil-telemetry.yaml"), """
				http_port: 9999
				retention: 2h
				rule_files: [%s]
				alert_webhooks:
				  - http://127.0.0.1:8086/alerts
				group_wait: 10s
				""".formatted(rules));
		ServerConfig c = CommandLine.parse(new String[] { "--config=" + cfg, "--http-port=0", "--data-dir=" },
				Map.of());
		assertThat(c.httpPort()).isZero();
		assertThat(c.retention()).isEqualTo(Duration.ofHours(2));
		assertThat(c.ruleFiles()).containsExactly(rules);
		assertThat(c.dataDir()).isNull();
		assertThat(c.alerting().webhooks()).hasSize(1);
		assertThat(c.alerting().groupWait()).isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void shouldExplainBadFlags() {
		UsageException e = assertThrows(UsageException.class,
				() -> CommandLine.parse(new String[] { "--http-port=http" }, Map.of()));
		assertThat(e.getMessage()).isEqualTo("--http-port: \"http\" is not a port number");
		assertThat(e.fix()).contains("0 for any free port");
		e = assertThrows(UsageException.class, () -> CommandLine.parse(new String[] { "--retnetion=1h" }, Map.of()));
		assertThat(e.getMessage()).isEqualTo("unknown flag --retnetion");
		e = assertThrows(UsageException.class, () -> CommandLine.parse(new String[] { "--retention=forever" }, Map.of()));
		assertThat(e.fix()).contains("6h");
		e = assertThrows(UsageException.class,
				() -> CommandLine.parse(new String[] { "--alert-webhook=ftp://x" }, Map.of()));
		assertThat(e.getMessage()).contains("invalid URL");
		e = assertThrows(UsageException.class, () -> CommandLine.parse(new String[] { "--rules=/nope.yml" }, Map.of()));
		assertThat(e.getMessage()).contains("/nope.yml");
	}

}
