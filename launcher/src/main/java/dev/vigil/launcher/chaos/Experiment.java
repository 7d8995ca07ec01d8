package dev.vigil.launcher.chaos;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One chaos experiment, as written in chaos/experiments/*.yaml: a steady-state hypothesis, a fault, and what must
 * happen — the alert that should fire (and by when), how soon the system must be healthy again, and that no order is
 * lost or duplicated.
 */
public record Experiment(String name, String description, List<SteadyStateCheck> steadyState, FaultSpec fault,
		Expectations expect) {

	/** A PromQL expression whose value must stay within [min, max] while the system is healthy. */
	public record SteadyStateCheck(String query, double min, double max) {

		boolean holds(double value) {
			return !Double.isNaN(value) && value >= min && value <= max;
		}

	}

	/**
	 * The fault. {@code kind} is a service fault (latency, error, exception, cpu, memory, slow-db,
	 * dependency-failure: injected through the service's chaos endpoint with a TTL) or an infrastructure fault (kill,
	 * pause: through the launcher's supervisor; postgres-stop, redis-stop, kafka-stop: through its backing services).
	 */
	public record FaultSpec(String kind, String target, Duration duration, Map<String, Object> parameters) {

	}

	/**
	 * @param alert the alert that must fire, or null when the experiment checks resilience only (e.g. Redis outage:
	 * the catalog is served degraded and nothing should page)
	 * @param detectWithin how soon after the fault starts the alert must fire
	 * @param recoverWithin how soon after the fault ends the steady state must hold again (and the alert resolve)
	 * @param noLostOrders compare orders placed with notifications recorded once recovered
	 */
	public record Expectations(String alert, Duration detectWithin, Duration recoverWithin, boolean noLostOrders) {

	}

}
