package dev.vigil.telemetry.promql;

/** PromQL expression result types, spelled as in Prometheus error messages. */
enum ValueType {

	SCALAR("scalar"), STRING("string"), VECTOR("instant vector"), MATRIX("range vector");

	final String text;

	ValueType(String text) {
		this.text = text;
	}

}
