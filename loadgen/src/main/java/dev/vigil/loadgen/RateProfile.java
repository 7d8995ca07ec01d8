package dev.vigil.loadgen;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How many requests per second to start over time. This is an <em>open</em> workload model: arrivals are
 * scheduled by this profile whatever the target's response time is, the way real users keep arriving.
 *
 * <p>Implementations are pure functions of time so the scheduler can compute the intended start time of the
 * n-th arrival directly from the run's start instant. Accumulating {@code sleep(1/rate)} would drift; this can't.
 */
public sealed interface RateProfile permits RateProfile.Constant, RateProfile.Ramp, RateProfile.Steps {

	/**
	 * Seconds after the start at which arrival {@code n} (0-based) is intended to be sent, or
	 * {@link Double#POSITIVE_INFINITY} if the profile never reaches it.
	 */
	double secondsUntilArrival(long n);

	/** Human-readable form, as the CLI accepts it. */
	String describe();

	/** A fixed rate. */
	static RateProfile constant(double perSecond) {
		return new Constant(perSecond);
	}

	/** A linear ramp from one rate to another over {@code over}; after that, stays at {@code to}. */
	static RateProfile ramp(double fromPerSecond, double toPerSecond, Duration over) {
		return new Ramp(fromPerSecond, toPerSecond, over);
	}

	/** Constant {@code n/s} for {@code d}, then the next step; the last rate continues after the last step. */
	static RateProfile steps(List<Step> steps) {
		return new Steps(steps);
	}

	/** Arrivals at exactly {@code perSecond} per second, the first at t = 0. */
	record Constant(double perSecond) implements RateProfile {
		public Constant {
			if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
				throw new IllegalArgumentException("rate must be a positive number per second, got " + perSecond);
			}
		}

		@Override
		public double secondsUntilArrival(long n) {
			return n / perSecond;
		}

		@Override
		public String describe() {
			return "constant " + fmt(perSecond) + "/s";
		}
	}

	/** Rate rises (or falls) linearly from {@code from} to {@code to} over {@code over}. */
	record Ramp(double from, double to, Duration over) implements RateProfile {
		public Ramp {
			Objects.requireNonNull(over, "over");
			if (!(from >= 0) || !(to >= 0) || Double.isInfinite(from) || Double.isInfinite(to) || from + to == 0) {
				throw new IllegalArgumentException("ramp rates must be >= 0 and not both 0, got " + from + ".." + to);
			}
			if (over.isNegative() || over.isZero()) {
				throw new IllegalArgumentException("ramp length must be positive, got " + over);
			}
		}

		@Override
		public double secondsUntilArrival(long n) {
			if (n == 0) {
				return 0;
			}
			double length = over.toNanos() / 1e9;
			double slope = (to - from) / length;
			// Arrivals by time t: N(t) = from*t + slope*t^2/2. Inverted in the cancellation-free form
			// t = 2n / (from + sqrt(from^2 + 2*slope*n)), which also covers slope == 0.
			double arrivalsInRamp = (from + to) / 2 * length;
			if (n <= arrivalsInRamp) {
				double disc = from * from + 2 * slope * n;
				if (disc < 0) {
					return Double.POSITIVE_INFINITY;
				}
				return 2 * n / (from + Math.sqrt(disc));
			}
			return to == 0 ? Double.POSITIVE_INFINITY : length + (n - arrivalsInRamp) / to;
		}

		@Override
		public String describe() {
			return "ramp " + fmt(from) + "/s.." + fmt(to) + "/s over " + Units.formatDuration(over);
		}
	}

	/** One step of a {@link Steps} profile. */
	record Step(double perSecond, Duration length) {
		public Step {
			Objects.requireNonNull(length, "length");
			if (!(perSecond >= 0) || Double.isInfinite(perSecond)) {
				throw new IllegalArgumentException("step rate must be >= 0, got " + perSecond);
			}
			if (length.isNegative() || length.isZero()) {
				throw new IllegalArgumentException("step length must be positive, got " + length);
			}
		}
	}

	/** Piecewise-constant rates. */
	record Steps(List<Step> steps) implements RateProfile {
		public Steps {
			steps = List.copyOf(steps);
			if (steps.isEmpty() || steps.stream().allMatch(s -> s.perSecond() == 0)) {
				throw new IllegalArgumentException("steps need at least one step with a positive rate");
			}
		}

		/** Sum of the step lengths: the natural duration of the run. */
		public Duration totalLength() {
			return steps.stream().map(Step::length).reduce(Duration.ZERO, Duration::plus);
		}

		@Override
		public double secondsUntilArrival(long n) {
			double start = 0;
			double before = 0; // arrivals in the steps already passed (fractional: steps need not align)
			for (Step step : steps) {
				double len = step.length().toNanos() / 1e9;
				double inStep = step.perSecond() * len;
				if (n < before + inStep) {
					return start + (n - before) / step.perSecond();
				}
				before += inStep;
				start += len;
			}
			double last = steps.get(steps.size() - 1).perSecond();
			return last == 0 ? Double.POSITIVE_INFINITY : start + (n - before) / last;
		}

		@Override
		public String describe() {
			StringBuilder sb = new StringBuilder("steps ");
			for (int i = 0; i < steps.size(); i++) {
				sb.append(i == 0 ? "" : ",").append(fmt(steps.get(i).perSecond())).append("/s:")
						.append(Units.formatDuration(steps.get(i).length()));
			}
			return sb.toString();
		}
	}

	private static String fmt(double v) {
		return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
	}
}
