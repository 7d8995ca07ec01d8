package dev.vigil.slo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.vigil.telemetry.testing.ExternalTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The committed rule unit tests run through {@code vigil-telemetry test-rules} (issue #7) give the same per-file result
 * as {@code promtool test rules}: local mode evaluates the same rules as Prometheus does in cluster mode.
 *
 * <p>Runs telemetry's runnable jar as a user would, so the command line, the file handling and the output are what is
 * tested. The jar is built by the telemetry module, which Maven builds before slo (slo depends on its test jar);
 * missing locally (e.g. {@code -pl slo} on a clean tree) the test is skipped, under {@code CI=true} it fails.
 */
class VigilTelemetryRulesTest {

	private static final ExternalTool PROMTOOL = new ExternalTool("promtool", "prometheus");

	static List<Path> ruleTestFiles() throws IOException {
		return PromtoolRulesTest.ruleTestFiles();
	}

	@ParameterizedTest(name = "vigil-telemetry test-rules {0}")
	@MethodSource("ruleTestFiles")
	void committedRuleTestsPassLikeWithPromtool(Path testFile) throws Exception {
		ExternalTool.Result vigil = testRules(testFile);
		ExternalTool.Result promtool = PromtoolRulesTest.promtoolTestRules(testFile);
		assertThat(vigil.exitCode()).as("same result as promtool (%s); vigil-telemetry: %s", promtool.describe(),
				vigil.describe())
			.isEqualTo(promtool.exitCode());
		assertThat(vigil.exitCode()).as(vigil.describe()).isZero();
		assertThat(vigil.output()).contains("Unit Testing:  " + testFile.getFileName(), "  SUCCESS");
	}

	/**
	 * The comparison above can fail: a committed test file with one wrong expectation added fails in both tools, and
	 * both name the broken expression. The smallest file keeps this quick (promtool needs minutes for the largest on a
	 * busy machine).
	 */
	@Test
	void brokenCopyOfARuleTestFailsInBothTools(@TempDir Path dir) throws Exception {
		List<Path> files = new ArrayList<>(ruleTestFiles());
		files.sort(java.util.Comparator.comparingLong(VigilTelemetryRulesTest::size));
		for (Path original : files.subList(0, 1)) {
			Path broken = withWrongExpectation(original, dir);
			ExternalTool.Result vigil = testRules(broken);
			ExternalTool.Result promtool = ExternalTool.run(broken.getParent(), PROMTOOL.require(), "test", "rules",
					broken.getFileName().toString());
			assertThat(promtool.exitCode()).as(promtool.describe()).isNotZero();
			assertThat(vigil.exitCode()).as(vigil.describe()).isEqualTo(promtool.exitCode());
			assertThat(promtool.output()).contains("expr: \"vector(1)\"");
			assertThat(vigil.output()).contains("  FAILED:", "expr: \"vector(1)\"");
		}
	}

	private static long size(Path file) {
		try {
			return Files.size(file);
		}
		catch (IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
	}

	/** A copy of {@code original} (rule files made absolute) whose first test group expects vector(1) to be 2. */
	@SuppressWarnings("unchecked")
	private static Path withWrongExpectation(Path original, Path dir) throws IOException {
		Map<String, Object> root = new Yaml().load(Files.readString(original));
		List<String> ruleFiles = new ArrayList<>();
		for (Object f : (List<Object>) root.get("rule_files")) {
			ruleFiles.add(original.getParent().resolve(String.valueOf(f)).normalize().toString());
		}
		root.put("rule_files", ruleFiles);
		Map<String, Object> group = ((List<Map<String, Object>>) root.get("tests")).get(0);
		List<Object> exprTests = new ArrayList<>(
				(List<Object>) group.getOrDefault("promql_expr_test", new ArrayList<>()));
		Map<String, Object> wrong = new LinkedHashMap<>();
		wrong.put("expr", "vector(1)");
		wrong.put("eval_time", "1m");
		wrong.put("exp_samples", List.of(Map.of("labels", "{}", "value", 2)));
		exprTests.add(wrong);
		group.put("promql_expr_test", exprTests);
		DumperOptions options = new DumperOptions();
		options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
		Path broken = dir.resolve("broken-" + original.getFileName());
		Files.writeString(broken, new Yaml(options).dump(root));
		return broken;
	}

	private static ExternalTool.Result testRules(Path testFile) throws Exception {
		Path jar = RepositoryPaths.root().resolve("telemetry/target/vigil-telemetry.jar");
		if (!Files.isRegularFile(jar)) {
			String missing = jar + " is not built; run `./mvnw -pl telemetry package -DskipTests` first";
			if ("true".equalsIgnoreCase(System.getenv("CI"))) {
				fail("CI=true but " + missing);
			}
			assumeTrue(false, "skipped: " + missing);
		}
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		return ExternalTool.run(testFile.getParent(), java, "-jar", jar.toString(), "test-rules",
				testFile.getFileName().toString());
	}

}
