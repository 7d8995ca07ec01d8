package dev.vigil.slo;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Shrinks every SLO window by a constant factor so that burn-rate alerts can be watched firing on a laptop.
 *
 * <p>
 * The recorded series keep their production names ({@code slo:sli_error:ratio_rate1h}, {@code sloth_window="1h"})
 * so dashboards, tests and the remediator work unchanged; only the ranges inside the queries shrink. Scaled
 * windows are rounded to whole seconds and never go below {@link #MINIMUM_WINDOW}: {@code rate()} needs at least two
 * samples in its range, and Vigil scrapes and evaluates every 15 s.
 */
record TimeScale(String name, BigDecimal factor) {

	static final Duration SCRAPE_AND_EVALUATION_INTERVAL = Duration.ofSeconds(15);

	static final Duration MINIMUM_WINDOW = SCRAPE_AND_EVALUATION_INTERVAL.multipliedBy(2);

	/** 30 days become 1 hour: a total outage pages in about a minute. */
	static final TimeScale DEMO = new TimeScale("demo", BigDecimal.valueOf(720));

	static final TimeScale PRODUCTION = new TimeScale("production", BigDecimal.ONE);

	/** Accepts {@code demo}, {@code production} or a factor of at least 1 (e.g. {@code 720}, {@code 24}). */
	static TimeScale parse(String text) {
		if (DEMO.name.equals(text)) {
			return DEMO;
		}
		if (PRODUCTION.name.equals(text)) {
			return PRODUCTION;
		}
		BigDecimal factor;
		try {
			factor = new BigDecimal(text);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(
					"--time-scale must be 'demo', 'production' or a number >= 1, was '" + text + "'");
		}
		if (factor.compareTo(BigDecimal.ONE) < 0) {
			throw new IllegalArgumentException("--time-scale factor must be >= 1, was '" + text + "'");
		}
		return new TimeScale("x" + factor.stripTrailingZeros().toPlainString(), factor);
	}

	boolean isProduction() {
		return this.factor.compareTo(BigDecimal.ONE) == 0;
	}

	Duration scale(Duration window) {
		if (isProduction()) {
			return window;
		}
		long seconds = new BigDecimal(window.getSeconds()).divide(this.factor, 0, java.math.RoundingMode.HALF_UP)
			.longValueExact();
		return Duration.ofSeconds(Math.max(seconds, MINIMUM_WINDOW.getSeconds()));
	}

	String fileName() {
		return "slo-" + this.name + ".yml";
	}

}
