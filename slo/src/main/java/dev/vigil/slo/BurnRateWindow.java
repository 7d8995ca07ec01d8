package dev.vigil.slo;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;

/**
 * One multiwindow burn-rate condition: the error ratio must exceed {@code factor × budget} over both the long window
 * (the budget really is being spent) and the short window (it is still being spent, so the alert resets soon after
 * recovery).
 *
 * <p>
 * The factors come from the budget share each alert tolerates spending within its long window, as in the Google SRE
 * workbook, chapter 5 "Alerting on SLOs", section "6: Multiwindow, Multi-Burn-Rate Alerts": page at 2% of a 30-day
 * budget in 1 hour (14.4×) or 5% in 6 hours (6×), ticket at 10% in 3 days (1×). The 10%-in-1-day ticket (3×) is the
 * extra tier Sloth adds. The short window is 1/12 of the long one, as the workbook recommends.
 */
record BurnRateWindow(Severity severity, Duration longWindow, Duration shortWindow, BigDecimal budgetShare) {

	enum Severity {

		PAGE, TICKET;

		String label() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

	static final List<BurnRateWindow> SRE_WORKBOOK = List.of(
			new BurnRateWindow(Severity.PAGE, Duration.ofHours(1), Duration.ofMinutes(5), new BigDecimal("0.02")),
			new BurnRateWindow(Severity.PAGE, Duration.ofHours(6), Duration.ofMinutes(30), new BigDecimal("0.05")),
			new BurnRateWindow(Severity.TICKET, Duration.ofDays(1), Duration.ofHours(2), new BigDecimal("0.10")),
			new BurnRateWindow(Severity.TICKET, Duration.ofDays(3), Duration.ofHours(6), new BigDecimal("0.10")));

	/** Burn rate = budget share × period / long window: 0.02 × 720 h / 1 h = 14.4 for a 30-day period. */
	BigDecimal factor(Duration period) {
		return this.budgetShare.multiply(BigDecimal.valueOf(period.getSeconds()))
			.divide(BigDecimal.valueOf(this.longWindow.getSeconds()), 6, RoundingMode.HALF_UP)
			.stripTrailingZeros();
	}

}
