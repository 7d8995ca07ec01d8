package dev.vigil.slo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One page alert and one ticket alert per SLO, each the OR of two multiwindow burn-rate conditions (see
 * {@link BurnRateWindow}). Both share the alert name, as in Sloth; {@code severity} tells them apart.
 */
final class BurnRateAlertGenerator {

	static final String RUNBOOK_DIRECTORY = "docs/runbooks/";

	private final TimeScale timeScale;

	BurnRateAlertGenerator(TimeScale timeScale) {
		this.timeScale = timeScale;
	}

	RuleGroup generate(OpenSloSpec spec, Duration groupInterval) {
		List<PrometheusRule> rules = new ArrayList<>();
		for (BurnRateWindow.Severity severity : BurnRateWindow.Severity.values()) {
			List<BurnRateWindow> windows = BurnRateWindow.SRE_WORKBOOK.stream()
				.filter((window) -> window.severity() == severity)
				.toList();
			rules.add(alert(spec, severity, windows));
		}
		return new RuleGroup("sloth-slo-alerts-" + spec.slothId(), groupInterval, rules);
	}

	private PrometheusRule alert(OpenSloSpec spec, BurnRateWindow.Severity severity, List<BurnRateWindow> windows) {
		List<String> conditions = windows.stream().map((window) -> condition(spec, window)).toList();
		String expr = String.join("\nor\n", conditions);
		Map<String, String> labels = new LinkedHashMap<>();
		labels.put("severity", severity.label());
		labels.put("sloth_severity", severity.label());
		Map<String, String> annotations = new LinkedHashMap<>();
		annotations.put("summary", spec.displayName() + ": error budget burn rate too high (" + severity.label() + ")");
		annotations.put("description", description(spec, windows));
		annotations.put("runbook_url", RUNBOOK_DIRECTORY + spec.alertName() + ".md");
		return new PrometheusRule.Alerting(spec.alertName(), expr, labels, annotations);
	}

	/**
	 * {@code max ... without (sloth_window)} drops the window label so both sides of {@code and} match and the alert
	 * carries only the SLO's identity labels (newer Sloth releases do the same).
	 */
	private String condition(OpenSloSpec spec, BurnRateWindow window) {
		String threshold = "(" + window.factor(spec.period()).toPlainString() + " * " + spec.errorBudget().toPlainString()
				+ ")";
		String selector = SloSelector.selector(spec);
		return "(\n  max(" + SloSelector.sliErrorRecord(window.shortWindow()) + selector + " > " + threshold
				+ ") without (" + SloSelector.WINDOW + ")\n  and\n  max(" + SloSelector.sliErrorRecord(window.longWindow())
				+ selector + " > " + threshold + ") without (" + SloSelector.WINDOW + ")\n)";
	}

	private String description(OpenSloSpec spec, List<BurnRateWindow> windows) {
		StringBuilder text = new StringBuilder(spec.description().strip());
		if (!text.toString().endsWith(".")) {
			text.append('.');
		}
		text.append(" Objective ")
			.append(spec.target().movePointRight(2).stripTrailingZeros().toPlainString())
			.append("% over ")
			.append(PrometheusDuration.format(spec.period()))
			.append(". The error ratio exceeds ");
		List<String> clauses = new ArrayList<>();
		for (BurnRateWindow window : windows) {
			BigDecimal factor = window.factor(spec.period());
			BigDecimal daysLeft = BigDecimal.valueOf(spec.period().toDays())
				.divide(factor, 1, RoundingMode.HALF_UP)
				.stripTrailingZeros();
			clauses.add(factor.toPlainString() + "x the budget over " + PrometheusDuration.format(window.longWindow())
					+ " and " + PrometheusDuration.format(window.shortWindow()) + " (budget gone in "
					+ daysLeft.toPlainString() + "d at that pace)");
		}
		text.append(String.join(", or ", clauses)).append('.');
		if (!this.timeScale.isProduction()) {
			text.append(" Time scale '")
				.append(this.timeScale.name())
				.append("': every window is ")
				.append(this.timeScale.factor().toPlainString())
				.append("x shorter than named.");
		}
		return text.toString();
	}

}
