package dev.vigil.telemetry.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.telemetry.logs.LogQLExpr.LogSelector;
import dev.vigil.telemetry.logs.LogQLExpr.RangeAggregation;
import dev.vigil.telemetry.logs.LogQLExpr.VectorAggregation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogQLParserTest {

	@Test
	void streamSelectorWithAllMatchers() {
		LogSelector selector = (LogSelector) LogQLParser
			.parse("{service_name=\"orders\", level=~\"warn|error\", job!=\"x\", deployment_environment!~\"dev.*\"}");
		assertThat(selector.matchers()).extracting(LabelMatcher::op)
			.containsExactly(LabelMatcher.Op.EQ, LabelMatcher.Op.RE, LabelMatcher.Op.NEQ, LabelMatcher.Op.NRE);
		LabelMatcher level = selector.matchers().get(1);
		assertThat(level.matches("warn")).isTrue();
		assertThat(level.matches("warning")).isFalse(); // anchored
		assertThat(selector.stages()).isEmpty();
	}

	@Test
	void pipelines() {
		LogSelector selector = (LogSelector) LogQLParser.parse(
				"{app=\"a\"} |= \"x\" != `y` |~ \"z+\" !~ \"w\" | json | status >= 500 and duration > 10ms, size < 2KB "
						+ "| logfmt | msg=~\"pay.*\" or level=\"error\"");
		assertThat(selector.stages()).hasSize(8);
		Stage.LineFilter first = (Stage.LineFilter) selector.stages().get(0);
		assertThat(first.op()).isEqualTo(Stage.LineFilter.Op.CONTAINS);
		assertThat(first.text()).isEqualTo("x");
		assertThat(selector.stages().get(4)).isEqualTo(new Stage.Parser(Stage.Parser.Kind.JSON));
		Stage.LabelFilter filter = (Stage.LabelFilter) selector.stages().get(5);
		assertThat(filter.predicate()).isInstanceOf(LabelPredicate.And.class);
		assertThat(((Stage.LabelFilter) selector.stages().get(7)).predicate()).isInstanceOf(LabelPredicate.Or.class);
	}

	@Test
	void metricQueries() {
		VectorAggregation sum = (VectorAggregation) LogQLParser
			.parse("sum by (level, service_name) (count_over_time({app=\"a\"} |= \"error\" [5m]))");
		assertThat(sum.grouping()).containsExactly("level", "service_name");
		RangeAggregation count = (RangeAggregation) sum.inner();
		assertThat(count.function()).isEqualTo(LogQLExpr.Function.COUNT_OVER_TIME);
		assertThat(count.rangeNanos()).isEqualTo(300_000_000_000L);
		assertThat(count.selector().stages()).hasSize(1);

		VectorAggregation trailing = (VectorAggregation) LogQLParser.parse("sum(rate({app=\"a\"}[1m])) without (job)");
		assertThat(trailing.without()).isTrue();
		VectorAggregation plain = (VectorAggregation) LogQLParser.parse("sum(bytes_over_time({app=\"a\"}[1h30m]))");
		assertThat(plain.grouping()).isEmpty();
		// the pipeline may also follow the range, as Loki allows
		RangeAggregation after = (RangeAggregation) LogQLParser.parse("rate({app=\"a\"}[1m] |= \"x\" | json)");
		assertThat(after.selector().stages()).hasSize(2);
		assertThat(LogQLParser.parse("sum by (a) (sum by (a, b) (count_over_time({app=\"a\"}[1m])))"))
			.isInstanceOf(VectorAggregation.class);
	}

	@Test
	void stringsUnescape() {
		LogSelector selector = (LogSelector) LogQLParser.parse("{app=\"a\\\"b\"} |~ `\\d+\\.\\d+`");
		assertThat(selector.matchers().get(0).value()).isEqualTo("a\"b");
		assertThat(((Stage.LineFilter) selector.stages().get(0)).text()).isEqualTo("\\d+\\.\\d+");
	}

	@ParameterizedTest
	@CsvSource(delimiter = ';', quoteCharacter = '\'', value = {
			"{app=\"a\"} | line_format \"{{.msg}}\" ; col 13: ; line_format is not supported",
			"{app=\"a\"} | label_format x=y ; col 13: ; label_format is not supported",
			"{app=\"a\"} | pattern \"<ip> <_>\" ; col 13: ; pattern is not supported",
			"{app=\"a\"} | unwrap bytes ; col 13: ; unwrap is not supported",
			"{app=\"a\"} | json a=\"b\" ; col 18: ; parameters of | json is not supported",
			"avg_over_time({app=\"a\"} | unwrap x [1m]) ; col 1: ; the range function avg_over_time is not supported",
			"topk(3, count_over_time({app=\"a\"}[1m])) ; col 1: ; the aggregation topk is not supported",
			"count_over_time({app=\"a\"}[1m]) > 5 ; col 32: ; binary operator \">\" is not supported",
			"sum(count_over_time({app=\"a\"}[1m])) / 2 ; col 37: ; binary operator \"/\" is not supported",
			"count_over_time({app=\"a\"}[1m] offset 1h) ; col 31: ; offset is not supported",
			"{app=\"a\"} |= \"x\" or \"y\" ; col 18: ; \"or\" between line filter strings",
			"count_over_time({app=\"a\"}[1m]) by (level) ; col 32: ; by/without directly on count_over_time",
			"label_replace(x) ; col 1: ; the function label_replace is not supported",
	})
	void unsupportedSyntaxSaysWhatAndWhere(String query, String position, String message) {
		assertThatThrownBy(() -> LogQLParser.parse(query.trim())).isInstanceOf(LogQLException.class)
			.hasMessageContaining("parse error at line 1, " + position.trim())
			.hasMessageContaining(message.trim())
			.hasMessageContaining("vigil-telemetry's LogQL subset");
	}

	@ParameterizedTest
	@CsvSource(delimiter = ';', quoteCharacter = '\'', value = {
			"{app=\"a\" ; col 9: ; expected \",\" or \"}\"",
			"{app=a} ; col 6: ; expected a quoted string",
			"{app=~\"(\"} ; col 7: ; invalid regular expression",
			"{app=\"a\"} |~ \"a(?=b)\" ; col 14: ; invalid regular expression",
			"{app=~\".*\"} ; col 1: ; at least one regexp or equality matcher",
			"{} ; col 1: ; at least one regexp or equality matcher",
			"{service.name=\"a\"} ; col 2: ; use letters, digits and _ only",
			"count_over_time({app=\"a\"}) ; col 26: ; expected a range like [5m]",
			"count_over_time({app=\"a\"}[5x]) ; col 27: ; is not a duration",
			"{app=\"a\"} | status > \"x\" ; col 22: ; compares numbers, durations",
			"{app=\"a\"} | status > 5zz ; col 22: ; is not a number, a duration",
			"{app=\"a\"} \"x\" ; col 11: ; unexpected string",
			"sum({app=\"a\"}) ; col 5: ; cannot be aggregated directly",
			"{app=\"a\\q\"} ; col 8: ; unknown escape sequence",
			"{app=\"a} ; col 6: ; unterminated string",
	})
	void syntaxErrorsHavePositions(String query, String position, String message) {
		assertThatThrownBy(() -> LogQLParser.parse(query.trim())).isInstanceOf(LogQLException.class)
			.hasMessageContaining("parse error at line 1, " + position.trim())
			.hasMessageContaining(message.trim());
	}

	@Test
	void positionsCountLines() {
		assertThatThrownBy(() -> LogQLParser.parse("{app=\"a\"}\n  | line_format \"x\""))
			.hasMessageContaining("parse error at line 2, col 5:");
	}

}
