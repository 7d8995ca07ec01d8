package dev.vigil.telemetry.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.telemetry.tsdb.Labels;
import dev.vigil.telemetry.tsdb.Storage;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class EngineTest {

	@Test
	void shouldReportParseErrorsWithPrometheusPositions() {
		assertThatThrownBy(() -> Engine.validate("sum(rate(http_requests_total[5m])) by (job,, instance)"))
			.isInstanceOf(ParseException.class)
			.hasMessage("1:44: parse error: unexpected \",\" in grouping opts, expected label");
		assertThatThrownBy(() -> Engine.validate("sum(x")).hasMessage("1:6: parse error: unclosed left parenthesis");
		assertThatThrownBy(() -> Engine.validate("rate(x)"))
			.hasMessage("1:6: parse error: expected type range vector in call to function \"rate\", got instant vector");
		assertThatThrownBy(() -> Engine.validate("foo{a=\"b\"")).hasMessage(
				"1:10: parse error: unexpected end of input inside braces");
	}

	@Test
	void shouldEvaluateRateSumByJobOverRange() {
		Storage s = Storage.inMemory();
		for (int i = 0; i <= 40; i++) {
			s.append(Labels.of("__name__", "x_total", "job", "a", "i", "1"), i * 15_000L, i * 15.0);
			s.append(Labels.of("__name__", "x_total", "job", "a", "i", "2"), i * 15_000L, i * 30.0);
		}
		QueryResult r = new Engine(s).rangeQuery("sum by (job) (rate(x_total[1m]))", 300_000, 600_000, 60_000);
		Value.Matrix m = (Value.Matrix) r.value();
		assertThat(m.series()).hasSize(1);
		assertThat(m.series().get(0).metric()).isEqualTo(Labels.of("job", "a"));
		for (double v : m.series().get(0).values()) {
			assertThat(v).isCloseTo(3.0, org.assertj.core.data.Offset.offset(1e-9));
		}
		assertThat(m.series().get(0).timestamps()).hasSize(6);
	}

	@Test
	void shouldFailWithExecutionErrorWhenSampleLimitIsExceeded() {
		Storage s = Storage.inMemory();
		for (int i = 0; i < 100; i++) {
			s.append(Labels.of("__name__", "m", "i", Integer.toString(i)), 0, i);
		}
		Engine e = new Engine(s, new EngineConfig(Duration.ofSeconds(30), 50, null, null));
		assertThatThrownBy(() -> e.instantQuery("m", 0)).isInstanceOf(PromQLException.class)
			.hasMessageContaining("too many samples")
			.extracting(x -> ((PromQLException) x).kind())
			.isEqualTo(PromQLException.Kind.EXECUTION);
	}

	@Test
	void shouldTimeOutWhenDeadlineHasPassed() {
		Storage s = Storage.inMemory();
		s.append(Labels.of("__name__", "m"), 0, 1);
		Engine e = new Engine(s);
		assertThatThrownBy(() -> e.rangeQuery("m", 0, 3_600_000, 1000, Duration.ofNanos(-1)))
			.isInstanceOf(PromQLException.class)
			.extracting(x -> ((PromQLException) x).kind())
			.isEqualTo(PromQLException.Kind.TIMEOUT);
	}

}
