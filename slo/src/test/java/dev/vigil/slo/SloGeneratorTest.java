package dev.vigil.slo;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line: exit code 2 and a message naming file and field for bad specs, never a stack trace. */
class SloGeneratorTest {

	private static final String VALID = """
			apiVersion: openslo/v1
			kind: SLO
			metadata:
			  name: checkout
			spec:
			  service: shop
			  indicator:
			    spec:
			      ratioMetric:
			        good:
			          metricSource:
			            type: Prometheus
			            spec:
			              query: sum(rate(ok_total[{{ .window }}]))
			        total:
			          metricSource:
			            type: Prometheus
			            spec:
			              query: sum(rate(all_total[{{.window}}]))
			  timeWindow:
			    - duration: 30d
			      isRolling: true
			  objectives:
			    - target: 0.99
			""";

	@TempDir
	Path specs;

	@TempDir
	Path out;

	private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();

	private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

	@Test
	void generatesProductionAndDemoFilesByDefault() throws Exception {
		Files.writeString(this.specs.resolve("checkout.yaml"), VALID);
		assertThat(generate()).isZero();
		String production = Files.readString(this.out.resolve("slo-production.yml"));
		assertThat(production).contains("record: slo:sli_error:ratio_rate5m", "sum(rate(ok_total[5m]))",
				"sum(rate(all_total[3d]))", "record: slo:sli_error:ratio_rate30d", "(14.4 * 0.01)", "(6 * 0.01)",
				"(3 * 0.01)", "(1 * 0.01)", "sloth_id: \"shop-checkout\"", "alert: CheckoutErrorBudgetBurn",
				"runbook_url: \"docs/runbooks/CheckoutErrorBudgetBurn.md\"");
		assertThat(production).doesNotContain("interval:");
		String demo = Files.readString(this.out.resolve("slo-demo.yml"));
		// 5m..6h / 720 are below the 30 s floor; 1d -> 2m, 3d -> 6m, 30d -> 1h.
		assertThat(demo).contains("sum(rate(ok_total[30s]))", "sum(rate(ok_total[2m]))", "sum(rate(ok_total[6m]))",
				"[1h])", "record: slo:sli_error:ratio_rate1d", "interval: 15s", "vector(0.041667)");
	}

	@Test
	void customTimeScaleWritesOnlyThatFile() throws Exception {
		Files.writeString(this.specs.resolve("checkout.yaml"), VALID);
		assertThat(generate("--time-scale", "24")).isZero();
		assertThat(this.out.resolve("slo-x24.yml")).content().contains("sum(rate(ok_total[3h]))", "[30h])");
		assertThat(this.out.resolve("slo-production.yml")).doesNotExist();
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			apiVersion: openslo/v1 | apiVersion: openslo/v2 | apiVersion | unknown apiVersion 'openslo/v2'
			kind: SLO | kind: SLI | kind | unknown kind 'SLI'
			target: 0.99 | target: 1 | spec.objectives[0].target | must be > 0 and < 1
			target: 0.99 | target: 1.5 | spec.objectives[0].target | must be > 0 and < 1
			target: 0.99 | target: 0 | spec.objectives[0].target | must be > 0 and < 1
			target: 0.99 | target: -0.5 | spec.objectives[0].target | must be > 0 and < 1
			target: 0.99 | displayName: none | spec.objectives[0].target | missing
			query: sum(rate(all_total[{{.window}}])) | query: '' | spec.indicator.spec.ratioMetric.total.metricSource.spec.query | missing
			query: sum(rate(all_total[{{.window}}])) | foo: bar | spec.indicator.spec.ratioMetric.total.metricSource.spec.query | missing
			query: sum(rate(all_total[{{.window}}])) | query: sum(rate(all_total[5m])) | spec.indicator.spec.ratioMetric.total.metricSource.spec.query | must use {{.window}}
			duration: 30d | duration: 7d | spec.timeWindow[0].duration | unknown time window '7d'
			duration: 30d | duration: a month | spec.timeWindow[0].duration | unknown time window 'a month'
			isRolling: true | isRolling: false | spec.timeWindow[0].isRolling | only rolling windows
			type: Prometheus | type: Datadog | spec.indicator.spec.ratioMetric.good.metricSource.type | unsupported metric source type 'Datadog'
			service: shop | service: '' | spec.service | missing
			""")
	void rejectsInvalidSpecNamingFileAndField(String from, String to, String field, String problem) throws Exception {
		String broken = VALID.replaceFirst(Pattern.quote(from), Matcher.quoteReplacement(to));
		assertThat(broken).isNotEqualTo(VALID);
		Path file = this.specs.resolve("broken.yaml");
		Files.writeString(file, broken);

		assertThat(generate()).isEqualTo(SloGenerator.INVALID);
		String error = this.stderr.toString(StandardCharsets.UTF_8);
		assertThat(error).startsWith("error: " + file + ": " + field + ": ").contains(problem);
		assertThat(error).doesNotContain("Exception", "\tat ");
		assertThat(this.out.resolve("slo-production.yml")).doesNotExist();
	}

	@Test
	void rejectsSpecWithBothGoodAndBad() throws Exception {
		String bad = String.join("\n", "        bad:", "          metricSource:", "            type: Prometheus",
				"            spec:", "              query: sum(rate(bad_total[{{.window}}]))", "        total:");
		String both = VALID.replace("        total:", bad);
		Files.writeString(this.specs.resolve("both.yaml"), both);
		assertThat(generate()).isEqualTo(SloGenerator.INVALID);
		assertThat(this.stderr.toString(StandardCharsets.UTF_8))
			.contains("both.yaml: spec.indicator.spec.ratioMetric: needs exactly one of 'good' and 'bad'");
	}

	@Test
	void rejectsDuplicateSloAcrossFiles() throws Exception {
		Files.writeString(this.specs.resolve("a.yaml"), VALID);
		Files.writeString(this.specs.resolve("b.yaml"), VALID);
		assertThat(generate()).isEqualTo(SloGenerator.INVALID);
		assertThat(this.stderr.toString(StandardCharsets.UTF_8)).contains("b.yaml: metadata.name: ")
			.contains("already defined in");
	}

	@Test
	void rejectsYamlSyntaxErrorsWithoutStackTrace() throws Exception {
		Files.writeString(this.specs.resolve("bad.yaml"), "apiVersion: [unclosed\n");
		assertThat(generate()).isEqualTo(SloGenerator.INVALID);
		assertThat(this.stderr.toString(StandardCharsets.UTF_8)).contains("bad.yaml: (yaml): ").doesNotContain("\tat ");
	}

	@Test
	void rejectsUnknownTimeScaleAndMissingOptions() throws Exception {
		Files.writeString(this.specs.resolve("checkout.yaml"), VALID);
		assertThat(generate("--time-scale", "fast")).isEqualTo(SloGenerator.INVALID);
		assertThat(generate("--time-scale", "0.5")).isEqualTo(SloGenerator.INVALID);
		assertThat(SloGenerator.run(new String[] { "generate" }, new PrintStream(this.stdout),
				new PrintStream(this.stderr)))
			.isEqualTo(SloGenerator.INVALID);
		assertThat(this.stderr.toString(StandardCharsets.UTF_8)).contains("usage: vigil-slo generate");
	}

	@Test
	void validateCommandChecksWithoutWriting() throws Exception {
		Files.writeString(this.specs.resolve("checkout.yaml"), VALID);
		assertThat(SloGenerator.run(new String[] { "validate", "--specs", this.specs.toString() },
				new PrintStream(this.stdout), new PrintStream(this.stderr)))
			.isZero();
		assertThat(this.stdout.toString(StandardCharsets.UTF_8)).contains("1 SLO specs valid");
	}

	private int generate(String... extra) {
		String[] args = Stream
			.concat(Stream.of("generate", "--specs", this.specs.toString(), "--out", this.out.toString()),
					Stream.of(extra))
			.toArray(String[]::new);
		return SloGenerator.run(args, new PrintStream(this.stdout), new PrintStream(this.stderr));
	}

}
