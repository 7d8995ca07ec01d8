package dev.vigil.launcher.chaos;

import dev.vigil.launcher.LauncherException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Runs one experiment against a running stack: verify the steady state, inject the fault, measure time to detect (the
 * expected alert firing), roll the fault back when its duration is over (always — also on failure), measure time to
 * recover (steady state holds and the alert resolved), and check that no order was lost or duplicated.
 */
public final class ExperimentRunner {

	private final FaultInjector faults;

	private final PrometheusQueries prometheus;

	private final OrderLedger ledger;

	private final PrintStream out;

	private final Duration poll;

	public ExperimentRunner(FaultInjector faults, PrometheusQueries prometheus, OrderLedger ledger, PrintStream out,
			Duration poll) {
		this.faults = faults;
		this.prometheus = prometheus;
		this.ledger = ledger;
		this.out = out;
		this.poll = poll;
	}

	public ExperimentResult run(Experiment experiment) {
		out.printf("[chaos] %s: %s%n", experiment.name(), experiment.description());
		List<String> problems = new ArrayList<>();
		// Before the fault the system must be healthy AND the expected alert quiet: an alert still firing from the
		// previous experiment (a hang leaves slow calls behind, say) would be "detected" in a second and prove
		// nothing. Experiments run back to back, so give the previous one's after-effects the recovery budget to settle.
		String expected = experiment.expect().alert();
		if (!waitUntil(() -> steadyState(experiment) && (expected == null || !prometheus.firing(expected)),
				Instant.now().plus(experiment.expect().recoverWithin()))) {
			return new ExperimentResult(experiment.name(), false, null, null, -1, -1, "FAIL",
					"steady state did not hold before the fault: " + describeSteadyState(experiment)
							+ (expected != null && safeFiring(expected) ? "; " + expected + " already firing" : ""));
		}
		Instant since = Instant.now();
		Instant faultStart = Instant.now();
		out.printf("[chaos]   injecting %s into %s for %d s%n", experiment.fault().kind(), experiment.fault().target(),
				experiment.fault().duration().toSeconds());
		Duration detectedAfter = null;
		try {
			faults.inject(experiment.fault());
			Instant faultEnd = faultStart.plus(experiment.fault().duration());
			String alert = experiment.expect().alert();
			if (alert != null) {
				Instant detectDeadline = faultStart.plus(experiment.expect().detectWithin());
				Instant until = detectDeadline.isAfter(faultEnd) ? detectDeadline : faultEnd;
				if (waitUntil(() -> prometheus.firing(alert), until)) {
					detectedAfter = Duration.between(faultStart, Instant.now());
					out.printf("[chaos]   %s fired after %.1f s%n", alert, detectedAfter.toMillis() / 1000.0);
				}
				if (detectedAfter == null || detectedAfter.compareTo(experiment.expect().detectWithin()) > 0) {
					problems.add(alert + " did not fire within " + experiment.expect().detectWithin().toSeconds() + " s");
				}
			}
			sleepUntil(faultEnd);
		}
		finally {
			faults.rollback(experiment.fault());
			out.printf("[chaos]   fault rolled back%n");
		}
		Instant recoverDeadline = Instant.now().plus(experiment.expect().recoverWithin());
		String alert = experiment.expect().alert();
		boolean recovered = waitUntil(() -> steadyState(experiment) && (alert == null || !prometheus.firing(alert)),
				recoverDeadline);
		Duration recoveredAfter = recovered ? Duration.between(faultStart, Instant.now()) : null;
		if (!recovered) {
			problems.add("not recovered within " + experiment.expect().recoverWithin().toSeconds()
					+ " s after the fault: " + describeSteadyState(experiment));
		}
		long lost = -1;
		long duplicated = -1;
		if (experiment.expect().noLostOrders()) {
			// The orders of the experiment are those created from the start to the end of the recovery wait; later
			// ones are in flight. The outbox and the consumer catch up after recovery; give them the recovery budget.
			Instant until = Instant.now();
			waitUntil(() -> ledger.lostBetween(since, until) == 0, Instant.now().plus(experiment.expect().recoverWithin()));
			lost = ledger.lostBetween(since, until);
			duplicated = ledger.duplicatedBetween(since, until);
			if (lost > 0 || duplicated > 0) {
				problems.add(lost + " orders lost, " + duplicated + " duplicated");
			}
		}
		return new ExperimentResult(experiment.name(), detectedAfter != null, detectedAfter, recoveredAfter, lost,
				duplicated, problems.isEmpty() ? "PASS" : "FAIL", String.join("; ", problems));
	}

	private boolean steadyState(Experiment experiment) {
		return experiment.steadyState().stream().allMatch(check -> check.holds(safeValue(check.query())));
	}

	private String describeSteadyState(Experiment experiment) {
		List<String> values = new ArrayList<>();
		for (Experiment.SteadyStateCheck check : experiment.steadyState()) {
			values.add(check.query() + " = " + safeValue(check.query()) + " (want " + check.min() + ".." + check.max() + ")");
		}
		return String.join(", ", values);
	}

	private boolean safeFiring(String alert) {
		try {
			return prometheus.firing(alert);
		}
		catch (LauncherException ex) {
			return false;
		}
	}

	private double safeValue(String query) {
		try {
			return prometheus.value(query);
		}
		catch (LauncherException ex) {
			return Double.NaN;
		}
	}

	private boolean waitUntil(BooleanSupplier condition, Instant deadline) {
		while (true) {
			try {
				if (condition.getAsBoolean()) {
					return true;
				}
			}
			catch (LauncherException ex) {
				// the monitoring itself may be hit by the fault; keep asking until the deadline
			}
			if (!Instant.now().isBefore(deadline)) {
				return false;
			}
			sleep(poll);
		}
	}

	private static void sleepUntil(Instant instant) {
		Duration left = Duration.between(Instant.now(), instant);
		if (!left.isNegative()) {
			sleep(left);
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new LauncherException("interrupted");
		}
	}

}
