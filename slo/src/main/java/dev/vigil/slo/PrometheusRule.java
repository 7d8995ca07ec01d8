package dev.vigil.slo;

import java.util.Map;

/** A Prometheus recording or alerting rule, as written to a rule file. */
sealed interface PrometheusRule permits PrometheusRule.Recording, PrometheusRule.Alerting {

	String expr();

	Map<String, String> labels();

	record Recording(String record, String expr, Map<String, String> labels) implements PrometheusRule {
	}

	record Alerting(String alert, String expr, Map<String, String> labels,
			Map<String, String> annotations) implements PrometheusRule {
	}

}
