package dev.vigil.telemetry.promql;

import java.util.Locale;

/** Aggregation operators; {@code paramType} is the type of the leading parameter, or null when there is none. */
enum Aggregation {

	SUM(null), AVG(null), MIN(null), MAX(null), COUNT(null), GROUP(null), STDDEV(null), STDVAR(null),
	TOPK(ValueType.SCALAR), BOTTOMK(ValueType.SCALAR), QUANTILE(ValueType.SCALAR), COUNT_VALUES(ValueType.STRING),
	LIMITK(ValueType.SCALAR), LIMIT_RATIO(ValueType.SCALAR);

	final ValueType paramType;

	Aggregation(ValueType paramType) {
		this.paramType = paramType;
	}

	String text() {
		return name().toLowerCase(Locale.ROOT);
	}

	static Aggregation byName(String s) {
		for (Aggregation a : values()) {
			if (a.text().equals(s)) {
				return a;
			}
		}
		return null;
	}

}
