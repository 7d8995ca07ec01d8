package dev.vigil.slo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Objective, budget, period and burn-rate series with Sloth's names, for dashboards and the remediator. */
final class SloMetadataRuleGenerator {

	private final TimeScale timeScale;

	SloMetadataRuleGenerator(TimeScale timeScale) {
		this.timeScale = timeScale;
	}

	RuleGroup generate(OpenSloSpec spec, Duration groupInterval) {
		Map<String, String> labels = SloSelector.labels(spec);
		String selector = SloSelector.selector(spec);
		String onSlo = "/ on(" + SloSelector.ID + ", " + SloSelector.SLO + ", " + SloSelector.SERVICE + ") group_left\n";
		String target = spec.target().toPlainString();
		List<PrometheusRule> rules = List.of(
				new PrometheusRule.Recording("slo:objective:ratio", "vector(" + target + ")", labels),
				new PrometheusRule.Recording("slo:error_budget:ratio", "vector(1-" + target + ")", labels),
				new PrometheusRule.Recording("slo:time_period:days", "vector(" + periodDays(spec) + ")", labels),
				new PrometheusRule.Recording("slo:current_burn_rate:ratio",
						SloSelector.sliErrorRecord(SliRecordingRuleGenerator.sliWindows().get(0)) + selector + "\n"
								+ onSlo + "slo:error_budget:ratio" + selector,
						labels),
				new PrometheusRule.Recording("slo:period_burn_rate:ratio",
						SloSelector.sliErrorRecord(spec.period()) + selector + "\n" + onSlo + "slo:error_budget:ratio"
								+ selector,
						labels),
				new PrometheusRule.Recording("slo:period_error_budget_remaining:ratio",
						"1 - slo:period_burn_rate:ratio" + selector, labels),
				new PrometheusRule.Recording("sloth_slo_info", "vector(1)", infoLabels(spec)));
		return new RuleGroup("sloth-slo-meta-recordings-" + spec.slothId(), groupInterval, rules);
	}

	/** The period actually measured: 30 in production, 30/720 (one hour) in the demo scale. */
	private String periodDays(OpenSloSpec spec) {
		BigDecimal days = BigDecimal.valueOf(this.timeScale.scale(spec.period()).getSeconds())
			.divide(BigDecimal.valueOf(86_400), 6, RoundingMode.HALF_UP)
			.stripTrailingZeros();
		return days.toPlainString();
	}

	private Map<String, String> infoLabels(OpenSloSpec spec) {
		Map<String, String> labels = new LinkedHashMap<>(SloSelector.labels(spec));
		labels.put("sloth_mode", "cli-gen-openslo");
		labels.put("sloth_objective", spec.target().movePointRight(2).stripTrailingZeros().toPlainString());
		labels.put("sloth_spec", OpenSloSpecLoader.API_VERSION);
		labels.put("sloth_version", "vigil-slo");
		labels.put("vigil_time_scale", this.timeScale.name());
		return labels;
	}

}
