package dev.vigil.telemetry.logs;

import java.util.List;

/** The LogQL AST of the supported subset: a log query, or a metric query over one. */
sealed interface LogQLExpr {

	/** {@code {matchers} stages...}: selects log lines. */
	record LogSelector(List<LabelMatcher> matchers, List<Stage> stages) implements LogQLExpr {

		boolean needsLabels() {
			return stages.stream().anyMatch(stage -> !(stage instanceof Stage.LineFilter));
		}

	}

	/** {@code count_over_time(selector [range])} and friends. */
	record RangeAggregation(Function function, LogSelector selector, long rangeNanos) implements LogQLExpr {

	}

	/** {@code sum by (labels) (expr)}; {@code by ()} for a plain sum. */
	record VectorAggregation(boolean without, List<String> grouping, LogQLExpr inner) implements LogQLExpr {

	}

	enum Function {
		COUNT_OVER_TIME("count_over_time"), RATE("rate"), BYTES_OVER_TIME("bytes_over_time"), BYTES_RATE("bytes_rate");

		final String logql;

		Function(String logql) {
			this.logql = logql;
		}

		static Function of(String name) {
			for (Function function : values()) {
				if (function.logql.equals(name)) {
					return function;
				}
			}
			return null;
		}

		boolean bytes() {
			return this == BYTES_OVER_TIME || this == BYTES_RATE;
		}

		boolean perSecond() {
			return this == RATE || this == BYTES_RATE;
		}
	}

}
