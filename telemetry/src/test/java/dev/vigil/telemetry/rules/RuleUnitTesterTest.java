package dev.vigil.telemetry.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleUnitTesterTest {

	private static Path resource(String name) throws URISyntaxException {
		return Path.of(RuleUnitTesterTest.class.getResource("/rules/" + name).toURI());
	}

	private static String run(boolean expectSuccess, Path file) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		boolean ok = RuleUnitTester.run(List.of(file), new PrintStream(bytes, true, StandardCharsets.UTF_8));
		String out = bytes.toString(StandardCharsets.UTF_8);
		assertThat(ok).as(out).isEqualTo(expectSuccess);
		return out;
	}

	@Test
	void shouldPassPromtoolStyleTests() throws Exception {
		String out = run(true, resource("example.test.yml"));
		assertThat(out).isEqualTo("Unit Testing:  " + resource("example.test.yml") + "\n  SUCCESS\n\n");
	}

	@Test
	void shouldReportFailuresLikePromtool() throws Exception {
		String out = run(false, resource("failing.test.yml"));
		assertThat(out).contains("  FAILED:\n")
			.contains("    alertname: InstanceDown, time: 10m, \n        exp:[], \n        got:[\n")
			.contains("Labels:{alertname=\"InstanceDown\", instance=\"localhost:9090\", job=\"prometheus\", severity=\"ticket\"}")
			.contains("    expr: \"up\", time: 2m,\n        exp: up{instance=\"localhost:9090\", job=\"prometheus\"} 1E+00\n"
					+ "        got: up{instance=\"localhost:9090\", job=\"prometheus\"} 0E+00");
	}

	@Test
	void shouldNameFileGroupAndRuleInValidationErrors() throws Exception {
		Path file = resource("invalid.rules.yml");
		RuleLoadException e = org.junit.jupiter.api.Assertions.assertThrows(RuleLoadException.class,
				() -> new RuleFileParser(EngineQueryFunc.CHECKER).load(List.of(file), 60_000));
		assertThat(e.getMessage()).contains(file + ": group \"broken\", rule 1 (alert \"NoExpr\"): field 'expr' must be set")
			.contains("rule 2 (record \"bad name\"): invalid recording rule name: bad name")
			.contains("rule 3 (alert \"BadTemplate\"): annotation summary: invalid template")
			.contains("rule 4 (alert \"BadExpr\"): could not parse expression");
	}

	@Test
	void shouldExpandSeriesNotation() {
		assertThat(SeriesNotation.values("0+10x3 _x2 1x1 5-1x2")).containsExactly(0.0, 10.0, 20.0, 30.0, null, null,
				1.0, 1.0, 5.0, 4.0, 3.0);
		// accumulated like Prometheus's series grammar ($1 += $2): ten additions of 0.1 end at 0.9999999999999999,
		// where 0.1 + 9 * 0.1 would give 1.0
		List<Double> accumulated = new java.util.ArrayList<>();
		double v = 0.1;
		for (int i = 0; i <= 9; i++) {
			accumulated.add(v);
			v += 0.1;
		}
		assertThat(accumulated.get(9)).isNotEqualTo(0.1 + 9 * 0.1);
		assertThat(SeriesNotation.values("0.1+0.1x9")).containsExactlyElementsOf(accumulated);
		assertThat(SeriesNotation.labels("up{job=\"a\", instance='b'}").toString())
			.isEqualTo("up{instance=\"b\", job=\"a\"}");
	}

	@Test
	void shouldExpandTemplatesLikeGo() {
		Template.Data d = new Template.Data(java.util.Map.of("job", "api"), java.util.Map.of(), "", 1234567.0);
		assertThat(Template.parse("{{ $labels.job }} {{ $value }} {{ $value | humanize }} {{ humanize $value }}")
			.expand(d)).isEqualTo("api 1.234567e+06 1.235M 1.235M");
		assertThat(Template.parse("{{ printf \"%.2f\" $value }}|{{ .Labels.missing }}|{{- \" x\" }}").expand(d))
			.isEqualTo("1234567.00|| x");
		assertThat(Template.humanizeDuration(90)).isEqualTo("1m 30s");
		assertThat(Template.humanizeDuration(0.25)).isEqualTo("250ms");
		assertThat(Template.parse("{{ 0.256 | humanizePercentage }}").expand(d)).isEqualTo("25.6%");
	}

}
