package dev.vigil.slo;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BurnRateWindowTest {

	@Test
	void factorsForThirtyDaysAreTheSreWorkbookOnes() {
		assertThat(BurnRateWindow.SRE_WORKBOOK).extracting((window) -> window.factor(Duration.ofDays(30)).toPlainString())
			.containsExactly("14.4", "6", "3", "1");
	}

	@Test
	void sliWindowsAreEveryShortAndLongWindow() {
		assertThat(SliRecordingRuleGenerator.sliWindows()).extracting(PrometheusDuration::format)
			.containsExactly("5m", "30m", "1h", "2h", "6h", "1d", "3d");
	}

	@Test
	void demoScaleShrinksBy720ButNeverBelowTwoEvaluationIntervals() {
		assertThat(TimeScale.DEMO.scale(Duration.ofDays(30))).isEqualTo(Duration.ofHours(1));
		assertThat(TimeScale.DEMO.scale(Duration.ofDays(3))).isEqualTo(Duration.ofMinutes(6));
		assertThat(TimeScale.DEMO.scale(Duration.ofDays(1))).isEqualTo(Duration.ofMinutes(2));
		assertThat(TimeScale.DEMO.scale(Duration.ofHours(6))).isEqualTo(Duration.ofSeconds(30));
		assertThat(TimeScale.DEMO.scale(Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(30));
		assertThat(TimeScale.parse("7").scale(Duration.ofHours(1))).isEqualTo(Duration.ofSeconds(514));
		assertThat(TimeScale.PRODUCTION.scale(Duration.ofMinutes(5))).isEqualTo(Duration.ofMinutes(5));
	}

	@Test
	void formatsDurationsWithTheLargestExactUnit() {
		assertThat(PrometheusDuration.format(Duration.ofSeconds(90))).isEqualTo("90s");
		assertThat(PrometheusDuration.format(Duration.ofSeconds(3600))).isEqualTo("1h");
		assertThat(PrometheusDuration.format(Duration.ofDays(3))).isEqualTo("3d");
		assertThat(PrometheusDuration.parse("4w")).isEqualTo(Duration.ofDays(28));
		assertThat(PrometheusDuration.parse("a month")).isNull();
	}

}
