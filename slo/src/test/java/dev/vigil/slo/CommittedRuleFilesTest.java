package dev.vigil.slo;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import static org.assertj.core.api.Assertions.assertThat;

/** The generated rule files in deploy/observability/rules are current, and every alert has its runbook. */
class CommittedRuleFilesTest {

	private static final String FIX = "committed generated rules are stale; regenerate with:\n"
			+ "  ./mvnw -q -o -pl slo package -DskipTests && " + SloRuleFileGenerator.REGENERATE_COMMAND;

	@Test
	void committedRuleFilesMatchTheSpecs(@TempDir Path out) throws Exception {
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int exitCode = SloGenerator.run(new String[] { "generate", "--specs", RepositoryPaths.specs().toString(), "--out",
				out.toString(), "--alerts", RepositoryPaths.rules().resolve(AlertRuleTimeScaler.SOURCE_FILE).toString() },
				new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
		assertThat(exitCode).as(err.toString(StandardCharsets.UTF_8)).isZero();
		for (TimeScale scale : List.of(TimeScale.PRODUCTION, TimeScale.DEMO)) {
			Path committed = RepositoryPaths.rules().resolve(scale.fileName());
			assertThat(committed).as(FIX).exists();
			assertThat(Files.readString(committed)).as(committed + " — " + FIX)
				.isEqualTo(Files.readString(out.resolve(scale.fileName())));
		}
		Path demoAlerts = RepositoryPaths.rules().resolve(AlertRuleTimeScaler.DEMO_FILE);
		assertThat(demoAlerts).as(FIX).exists();
		assertThat(Files.readString(demoAlerts)).as(demoAlerts + " — " + FIX)
			.isEqualTo(Files.readString(out.resolve(AlertRuleTimeScaler.DEMO_FILE)));
	}

	@Test
	void everyAlertHasSeveritySummaryDescriptionAndAnExistingRunbook() throws Exception {
		List<String> problems = new ArrayList<>();
		int alerts = 0;
		for (Path ruleFile : PromtoolRulesTest.ruleFiles()) {
			Map<?, ?> content = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(ruleFile));
			for (Object group : (List<?>) content.get("groups")) {
				for (Object item : (List<?>) ((Map<?, ?>) group).get("rules")) {
					Map<?, ?> rule = (Map<?, ?>) item;
					if (rule.get("alert") == null) {
						continue;
					}
					alerts++;
					String where = ruleFile.getFileName() + " " + rule.get("alert");
					Map<?, ?> labels = (Map<?, ?>) rule.get("labels");
					Map<?, ?> annotations = (Map<?, ?>) rule.get("annotations");
					Object severity = (labels != null) ? labels.get("severity") : null;
					if (!"page".equals(severity) && !"ticket".equals(severity)) {
						problems.add(where + ": severity must be page or ticket, was " + severity);
					}
					for (String annotation : List.of("summary", "description", "runbook_url")) {
						if (annotations == null || annotations.get(annotation) == null) {
							problems.add(where + ": missing annotation " + annotation);
						}
					}
					Object runbook = (annotations != null) ? annotations.get("runbook_url") : null;
					if (runbook != null) {
						String expected = "docs/runbooks/" + rule.get("alert") + ".md";
						if (!expected.equals(runbook)) {
							problems.add(where + ": runbook_url should be " + expected + ", was " + runbook);
						}
						else if (!Files.isRegularFile(RepositoryPaths.root().resolve(expected))) {
							problems.add(where + ": runbook " + expected + " does not exist");
						}
					}
				}
			}
		}
		assertThat(alerts).isGreaterThan(10);
		assertThat(problems).isEmpty();
	}

}
