package dev.vigil.loadgen;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The result of a run. Latencies are measured from each request's <em>intended</em> send time, so a stalled
 * target shows up as the long tail an open workload really sees (no coordinated omission).
 *
 * @param target where the load went
 * @param profile the rate profile, as text
 * @param startedAt wall-clock time of the first intended arrival
 * @param elapsed scheduling time actually spent (equals the configured duration unless stopped early)
 * @param scheduled arrivals the profile produced (sent + dropped)
 * @param unfinished requests still outstanding when the run gave up waiting; counted as timeouts
 * @param maxSchedulerLagMillis worst delay between an intended send time and the actual send; large values mean
 *        the generator itself was short of CPU (the delay is still included in the latencies)
 * @param overall all scenarios together
 * @param scenarios one entry per scenario, in the workload's order
 */
public record LoadReport(String target, String profile, Instant startedAt, Duration elapsed, long scheduled,
		long unfinished, double maxSchedulerLagMillis, ScenarioReport overall, List<ScenarioReport> scenarios) {

	private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	public LoadReport {
		scenarios = List.copyOf(scenarios);
	}

	/** The named scenario's figures; throws if there is no such scenario. */
	public ScenarioReport scenario(String name) {
		return scenarios.stream().filter(s -> s.name().equals(name)).findFirst()
				.orElseThrow(() -> new IllegalArgumentException("no scenario '" + name + "' in this report"));
	}

	/** Human-readable reasons the run fails {@code thresholds}; empty when it passes. */
	public List<String> breaches(Thresholds thresholds) {
		List<String> out = new ArrayList<>();
		if (thresholds.maxP99() != null) {
			double limit = thresholds.maxP99().toNanos() / 1e6;
			if (overall.completed() == 0) {
				out.add("no request completed, so p99 cannot be under " + fmt(limit) + " ms");
			}
			else if (overall.latency().p99() > limit) {
				out.add("p99 " + fmt(overall.latency().p99()) + " ms > limit " + fmt(limit) + " ms");
			}
		}
		if (thresholds.maxErrorRate() != null && overall.errorRate() > thresholds.maxErrorRate()) {
			out.add("error rate " + fmt(overall.errorRate() * 100) + "% > limit " + fmt(thresholds.maxErrorRate() * 100)
					+ "%");
		}
		return out;
	}

	/** The report as pretty-printed JSON (what {@code --report} writes). */
	public String toJson() {
		return toJson(Thresholds.NONE);
	}

	/** JSON including the threshold verdict. */
	public String toJson(Thresholds thresholds) {
		ObjectNode root = JSON.createObjectNode();
		root.put("target", target);
		root.put("profile", profile);
		root.put("startedAt", startedAt.toString());
		root.put("elapsedSeconds", round(elapsed.toNanos() / 1e9));
		root.put("scheduled", scheduled);
		root.put("unfinished", unfinished);
		root.put("maxSchedulerLagMs", round(maxSchedulerLagMillis));
		root.set("overall", scenarioJson(overall));
		var array = root.putArray("scenarios");
		scenarios.forEach(s -> array.add(scenarioJson(s)));
		if (thresholds.maxP99() != null || thresholds.maxErrorRate() != null) {
			ObjectNode t = root.putObject("thresholds");
			if (thresholds.maxP99() != null) {
				t.put("maxP99Ms", round(thresholds.maxP99().toNanos() / 1e6));
			}
			if (thresholds.maxErrorRate() != null) {
				t.put("maxErrorRate", thresholds.maxErrorRate());
			}
			List<String> breaches = breaches(thresholds);
			t.put("passed", breaches.isEmpty());
			var b = t.putArray("breaches");
			breaches.forEach(b::add);
		}
		return JSON.writeValueAsString(root);
	}

	private static ObjectNode scenarioJson(ScenarioReport s) {
		ObjectNode n = JSON.createObjectNode();
		n.put("name", s.name());
		n.put("scheduled", s.scheduled());
		n.put("sent", s.sent());
		n.put("dropped", s.dropped());
		n.put("completed", s.completed());
		n.put("ratePerSecond", round(s.ratePerSecond()));
		n.put("errors", s.errors());
		n.put("errorRate", s.errorRate());
		n.put("rateLimited", s.rateLimited());
		n.put("timeouts", s.timeouts());
		n.put("ioErrors", s.ioErrors());
		ObjectNode status = n.putObject("status");
		s.statusCounts().forEach((code, count) -> status.put(Integer.toString(code), count));
		ObjectNode lat = n.putObject("latencyMs");
		lat.put("p50", round(s.latency().p50()));
		lat.put("p90", round(s.latency().p90()));
		lat.put("p95", round(s.latency().p95()));
		lat.put("p99", round(s.latency().p99()));
		lat.put("p99_9", round(s.latency().p999()));
		lat.put("max", round(s.latency().max()));
		lat.put("mean", round(s.latency().mean()));
		return n;
	}

	private static double round(double v) {
		return Math.round(v * 1000) / 1000.0;
	}

	static String fmt(double v) {
		return String.format(java.util.Locale.ROOT, "%.1f", v);
	}

	/**
	 * Figures for one scenario (or all together).
	 *
	 * @param scheduled arrivals assigned to this scenario
	 * @param sent requests actually sent (scheduled minus dropped)
	 * @param dropped arrivals rejected by the generator at the in-flight bound
	 * @param completed requests that got a response or timed out or failed
	 * @param errors non-2xx responses other than 429, timeouts and I/O failures
	 * @param rateLimited 429 responses, counted apart from errors
	 * @param statusCodes responses by HTTP status code (all codes, including 2xx)
	 * @param ratePerSecond completed per second of elapsed time
	 * @param latency percentiles in milliseconds over responses and timeouts (not I/O failures, whose
	 *        near-zero latency would flatter the figures)
	 */
	public record ScenarioReport(String name, long scheduled, long sent, long dropped, long completed, long errors,
			long rateLimited, long timeouts, long ioErrors, Map<Integer, Long> statusCounts, double ratePerSecond,
			Latency latency, Histogram latencyMicros) {

		public ScenarioReport {
			statusCounts = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(statusCounts));
			latencyMicros = latencyMicros.copy();
		}

		/** errors / completed, 0 when nothing completed. */
		public double errorRate() {
			return completed == 0 ? 0 : (double) errors / completed;
		}

		/** A copy of the latency histogram, values in microseconds. */
		@Override
		public Histogram latencyMicros() {
			return latencyMicros.copy();
		}
	}

	/** Latency percentiles in milliseconds. */
	public record Latency(double p50, double p90, double p95, double p99, double p999, double max, double mean) {

		static Latency of(Histogram micros) {
			if (micros.getTotalCount() == 0) {
				return new Latency(0, 0, 0, 0, 0, 0, 0);
			}
			return new Latency(ms(micros.getValueAtPercentile(50)), ms(micros.getValueAtPercentile(90)),
					ms(micros.getValueAtPercentile(95)), ms(micros.getValueAtPercentile(99)), ms(micros.getValueAtPercentile(99.9)),
					ms(micros.getMaxValue()), micros.getMean() / 1000);
		}

		private static double ms(long micros) {
			return micros / 1000.0;
		}
	}
}
