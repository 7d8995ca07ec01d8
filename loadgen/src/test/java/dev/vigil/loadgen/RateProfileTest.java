package dev.vigil.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class RateProfileTest {

	/** Arrivals the scheduler would fire in {@code seconds}: the first n with intended time < seconds. */
	static long arrivals(RateProfile p, double seconds) {
		long n = 0;
		while (p.secondsUntilArrival(n) < seconds) {
			n++;
		}
		return n;
	}

	@Test
	void constantRateIsExact() {
		RateProfile p = RateProfile.constant(200);
		assertThat(arrivals(p, 60)).isEqualTo(12_000);
		assertThat(p.secondsUntilArrival(1)).isEqualTo(0.005);
	}

	@Test
	void rampDeliversTheAreaUnderTheRateLine() {
		RateProfile p = RateProfile.ramp(10, 500, Duration.ofSeconds(60));
		assertThat(arrivals(p, 60)).isCloseTo((10 + 500) / 2 * 60, within(1L));
		// Instantaneous rate near the end is ~500/s: the gap between consecutive arrivals is ~2 ms.
		long late = arrivals(p, 59.9);
		assertThat(p.secondsUntilArrival(late + 1) - p.secondsUntilArrival(late)).isCloseTo(0.002, within(0.0001));
		// After the ramp, the final rate continues.
		assertThat(arrivals(p, 61) - arrivals(p, 60)).isCloseTo(500, within(1L));
	}

	@Test
	void rampFromZeroAndDownwardsWork() {
		assertThat(arrivals(RateProfile.ramp(0, 100, Duration.ofSeconds(10)), 10)).isCloseTo(500, within(1L));
		RateProfile down = RateProfile.ramp(100, 0, Duration.ofSeconds(10));
		assertThat(arrivals(down, 10)).isCloseTo(500, within(1L));
		assertThat(arrivals(down, 100)).isCloseTo(500, within(1L));
	}

	@Test
	void stepsFollowEachRateInTurn() {
		RateProfile.Steps p = new RateProfile.Steps(List.of(new RateProfile.Step(100, Duration.ofSeconds(30)),
				new RateProfile.Step(0, Duration.ofSeconds(5)), new RateProfile.Step(200, Duration.ofSeconds(30))));
		assertThat(p.totalLength()).isEqualTo(Duration.ofSeconds(65));
		assertThat(arrivals(p, 30)).isEqualTo(3000);
		assertThat(arrivals(p, 35)).isEqualTo(3000); // the idle step
		assertThat(arrivals(p, 65)).isEqualTo(9000);
		assertThat(p.describe()).isEqualTo("steps 100/s:30s,0/s:5s,200/s:30s");
	}

	@Test
	void rejectsNonsense() {
		assertThatThrownBy(() -> RateProfile.constant(0)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> RateProfile.ramp(0, 0, Duration.ofSeconds(1)))
				.isInstanceOf(IllegalArgumentException.class);
	}
}
