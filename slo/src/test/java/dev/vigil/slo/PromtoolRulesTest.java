package dev.vigil.slo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.vigil.telemetry.testing.ExternalTool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed rule files and Alertmanager config, checked by the real Prometheus tools: {@code promtool check
 * rules}, {@code promtool test rules}, {@code amtool check-config}. Skipped when the tools are missing, except in CI.
 */
class PromtoolRulesTest {

	private static final ExternalTool PROMTOOL = new ExternalTool("promtool", "prometheus");

	private static final Map<Path, ExternalTool.Result> TEST_RULES_RESULTS = new HashMap<>();

	private static final ExternalTool AMTOOL = new ExternalTool("amtool", "prometheus-alertmanager");

	static List<Path> ruleFiles() throws IOException {
		return yamlFiles(RepositoryPaths.rules());
	}

	static List<Path> ruleTestFiles() throws IOException {
		return yamlFiles(RepositoryPaths.ruleTests());
	}

	@Test
	void ruleFilesAndTestsExist() throws IOException {
		assertThat(ruleFiles()).extracting((file) -> file.getFileName().toString())
			.contains("slo-production.yml", "slo-demo.yml", "vigil-alerts.yml", "vigil-alerts-demo.yml");
		assertThat(ruleTestFiles()).extracting((file) -> file.getFileName().toString())
			.contains("slo-production.test.yml", "slo-demo.test.yml", "vigil-alerts.test.yml",
					"vigil-alerts-demo.test.yml");
	}

	@ParameterizedTest(name = "promtool check rules {0}")
	@MethodSource("ruleFiles")
	void ruleFilePassesPromtoolCheck(Path ruleFile) throws Exception {
		Path promtool = PROMTOOL.require();
		ExternalTool.Result result = ExternalTool.run(ruleFile.getParent(), promtool, "check", "rules",
				ruleFile.getFileName().toString());
		assertThat(result.exitCode()).as(result.describe()).isZero();
	}

	@ParameterizedTest(name = "promtool test rules {0}")
	@MethodSource("ruleTestFiles")
	void ruleUnitTestsPass(Path testFile) throws Exception {
		ExternalTool.Result result = promtoolTestRules(testFile);
		assertThat(result.exitCode()).as(result.describe()).isZero();
	}

	/**
	 * {@code promtool test rules FILE}, run once per file and shared with {@link VigilTelemetryRulesTest}, which compares
	 * vigil-telemetry's result with it: the largest file takes promtool a minute or more on a loaded machine.
	 */
	static ExternalTool.Result promtoolTestRules(Path testFile) throws Exception {
		Path promtool = PROMTOOL.require();
		synchronized (TEST_RULES_RESULTS) {
			ExternalTool.Result result = TEST_RULES_RESULTS.get(testFile);
			if (result == null) {
				result = ExternalTool.run(testFile.getParent(), promtool, "test", "rules",
						testFile.getFileName().toString());
				TEST_RULES_RESULTS.put(testFile, result);
			}
			return result;
		}
	}

	@Test
	void alertmanagerConfigPassesAmtoolCheck() throws Exception {
		Path amtool = AMTOOL.require();
		Path config = RepositoryPaths.root().resolve("deploy/observability/alertmanager.yml");
		ExternalTool.Result result = ExternalTool.run(config.getParent(), amtool, "check-config",
				config.getFileName().toString());
		assertThat(result.exitCode()).as(result.describe()).isZero();
	}

	private static List<Path> yamlFiles(Path directory) throws IOException {
		try (Stream<Path> files = Files.list(directory)) {
			return files.filter((file) -> file.toString().endsWith(".yml") || file.toString().endsWith(".yaml"))
				.sorted()
				.toList();
		}
	}

}
