package dev.vigil.slo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code slo:sli_error:ratio_rate<window>} for every window a burn-rate alert reads, plus the period ratio, shaped
 * like Sloth's output.
 */
final class SliRecordingRuleGenerator {

	private final TimeScale timeScale;

	SliRecordingRuleGenerator(TimeScale timeScale) {
		this.timeScale = timeScale;
	}

	/** The alert windows in ascending order: 5m, 30m, 1h, 2h, 6h, 1d, 3d. */
	static List<Duration> sliWindows() {
		TreeSet<Duration> windows = new TreeSet<>(Comparator.naturalOrder());
		for (BurnRateWindow window : BurnRateWindow.SRE_WORKBOOK) {
			windows.add(window.shortWindow());
			windows.add(window.longWindow());
		}
		return List.copyOf(windows);
	}

	RuleGroup generate(OpenSloSpec spec) {
		List<PrometheusRule> rules = new ArrayList<>();
		for (Duration window : sliWindows()) {
			String range = PrometheusDuration.format(this.timeScale.scale(window));
			rules.add(new PrometheusRule.Recording(SloSelector.sliErrorRecord(window), errorRatio(spec, range),
					labels(spec, window)));
		}
		rules.add(periodRule(spec));
		return new RuleGroup("sloth-slo-sli-recordings-" + spec.slothId(), groupInterval(), rules);
	}

	Duration groupInterval() {
		return this.timeScale.isProduction() ? null : TimeScale.SCRAPE_AND_EVALUATION_INTERVAL;
	}

	/**
	 * The period ratio averages the 5m ratio over the period, as Sloth does: cheap to evaluate (one recorded series
	 * instead of 30 days of raw samples), at the cost of weighting quiet and busy 5-minute slices alike.
	 */
	private PrometheusRule periodRule(OpenSloSpec spec) {
		String fiveMinutes = SloSelector.sliErrorRecord(sliWindows().get(0)) + SloSelector.selector(spec);
		String range = PrometheusDuration.format(this.timeScale.scale(spec.period()));
		String expr = "sum_over_time(" + fiveMinutes + "[" + range + "])\n/ ignoring (" + SloSelector.WINDOW + ")\n"
				+ "count_over_time(" + fiveMinutes + "[" + range + "])";
		return new PrometheusRule.Recording(SloSelector.sliErrorRecord(spec.period()), expr,
				labels(spec, spec.period()));
	}

	private static Map<String, String> labels(OpenSloSpec spec, Duration nominalWindow) {
		Map<String, String> labels = new LinkedHashMap<>(SloSelector.labels(spec));
		labels.put(SloSelector.WINDOW, PrometheusDuration.format(nominalWindow));
		return labels;
	}

	static String errorRatio(OpenSloSpec spec, String range) {
		String total = spec.totalQuery().replace(OpenSloSpec.WINDOW_PLACEHOLDER, range);
		if (spec.badQuery() != null) {
			String bad = spec.badQuery().replace(OpenSloSpec.WINDOW_PLACEHOLDER, range);
			return "(\n" + indent(bad, 2) + "\n)\n/\n(\n" + indent(total, 2) + "\n)";
		}
		String good = spec.goodQuery().replace(OpenSloSpec.WINDOW_PLACEHOLDER, range);
		return "(\n  1 - (\n    (\n" + indent(good, 6) + "\n    )\n    /\n    (\n" + indent(total, 6)
				+ "\n    )\n  )\n)";
	}

	private static String indent(String text, int spaces) {
		String prefix = " ".repeat(spaces);
		return String.join("\n", text.lines().map((line) -> line.isBlank() ? "" : prefix + line.stripTrailing()).toList());
	}

}
