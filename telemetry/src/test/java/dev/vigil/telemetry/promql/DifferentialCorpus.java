package dev.vigil.telemetry.promql;

import dev.vigil.telemetry.tsdb.Labels;
import dev.vigil.telemetry.tsdb.StaleNaN;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * A seeded, deterministic corpus for the differential test against {@code promtool test rules}: input series (counters
 * with resets, gauges with gaps and a staleness marker, classic histograms, info-style series) and queries generated
 * from templates.
 *
 * <p><b>Timing rules.</b> Debian's promtool is Prometheus 2.42, whose range windows and lookback are left-closed
 * ({@code [t-r, t]}) and whose subqueries include a step on their left edge; this engine follows Prometheus 3
 * (left-open). The two agree whenever no sample and no subquery step lies exactly on a left edge, so:
 * <ul>
 * <li>samples lie on multiples of 15s; every evaluation time is {@code 15s*k + 7s}, and outer ranges, offsets and
 * subquery ranges are multiples of 15s, so {@code t - offset - range} is never a sample time nor a subquery step;</li>
 * <li>subquery steps are multiples of 15s, so their points do lie on sample times: ranges <em>inside</em> a subquery
 * are deliberately not multiples of 15s ({@code 50s}, {@code 100s}, ...);</li>
 * <li>the 5m lookback ends on a sample time at those points, which only matters when a series has no newer sample
 * for 5m: gaps are at most 3 samples (45s) and series never simply end inside the queried span (they end with a
 * staleness marker, which both versions honour the same way);</li>
 * <li>{@code @} timestamps also satisfy {@code 15s*k + 7s}.</li>
 * </ul>
 *
 * <p><b>Version differences avoided by construction.</b> Prometheus 2.42 applies the counter "zero point" limit of
 * {@code rate}/{@code increase} before the extrapolation threshold, Prometheus 3 after it; the order only matters when
 * the first sample of a window is more than 1.1 sample intervals after the window start <em>and</em> the counter is
 * close to zero, so counters have no gaps and start far above the increase of any window.
 */
final class DifferentialCorpus {

	static final long INTERVAL_MILLIS = 15_000;

	/** Samples 0 .. 45m. */
	static final int POINTS = 181;

	static final long FIRST_EVAL_MILLIS = 16 * 60_000 + 7_000;

	static final int EVAL_SLOTS = 81;

	/** One input series: {@code values[i]} is the sample at {@code i * INTERVAL_MILLIS}, null for none. */
	record Series(Labels labels, Double[] values) {
	}

	/**
	 * A query at an evaluation time; {@code excludedBecause} is non-null when it is not compared, and says why.
	 * {@code tieGuard} is the input of a topk/bottomk: when it has equal values, which of them is kept is unspecified
	 * (Go's heap order), so the query is not compared.
	 */
	record Query(String expr, long evalMillis, String excludedBecause, String tieGuard) {
	}

	private static final java.util.regex.Pattern TOPK = java.util.regex.Pattern
		.compile("^(?:topk|bottomk)(?: by \\([^)]*\\))? ?\\([0-9]+, (.*)\\)$");

	private final Random random;

	final List<Series> series = new ArrayList<>();

	final List<Query> queries = new ArrayList<>();

	DifferentialCorpus(long seed, int minQueries) {
		this.random = new Random(seed);
		generateCounters();
		generateGauges();
		generateHistograms();
		generateInfo();
		generateQueries(minQueries);
	}

	// ---- series ----

	private void generateCounters() {
		String[] jobs = { "api", "web" };
		String[] instances = { "10.0.0.1:8080", "10.0.0.2:8080" };
		String[] codes = { "200", "500" };
		int n = 0;
		for (String job : jobs) {
			for (String instance : instances) {
				for (String code : codes) {
					Double[] v = new Double[POINTS];
					// far above any window's increase: see the class comment on the zero-point limit
					double value = 5000 + random.nextInt(5000);
					// two series get a counter reset, one a staleness gap (scrape target gone for 2m, then back)
					int resetAt = (n == 1 || n == 6) ? 40 + random.nextInt(100) : -1;
					int staleAt = n == 3 ? 90 + random.nextInt(20) : -1;
					for (int i = 0; i < POINTS; i++) {
						if (staleAt >= 0 && i >= staleAt && i < staleAt + 8) {
							v[i] = i == staleAt ? StaleNaN.VALUE : null;
							continue;
						}
						if (i == resetAt) {
							value = random.nextInt(10);
						}
						else if (i > 0) {
							value += random.nextInt(code.equals("200") ? 40 : 6);
						}
						v[i] = value;
					}
					series.add(new Series(
							Labels.of("__name__", "http_requests_total", "job", job, "instance", instance, "code", code),
							v));
					n++;
				}
			}
		}
	}

	private void generateGauges() {
		String[] instances = { "10.0.0.1:8080", "10.0.0.2:8080", "10.0.0.3:9100" };
		String[] zones = { "eu-1", "us-2" };
		int n = 0;
		for (String instance : instances) {
			for (String zone : zones) {
				Double[] v = new Double[POINTS];
				// quarter degrees: exactly representable, so sums and averages carry no representation noise
				double value = 18 + random.nextInt(40) * 0.25;
				int lateStart = n == 4 ? 32 : 0;
				int staleAt = n == 2 ? 100 : -1;
				for (int i = 0; i < POINTS; i++) {
					value += (random.nextInt(9) - 4) * 0.25;
					if (i < lateStart) {
						continue;
					}
					if (staleAt >= 0 && i >= staleAt && i < staleAt + 12) {
						v[i] = i == staleAt ? StaleNaN.VALUE : null;
						continue;
					}
					v[i] = value;
				}
				// missed scrapes: gaps of 1-3 samples, never long enough to reach the 5m lookback
				for (int i = lateStart + 2; i < POINTS - 4; i++) {
					if (v[i] != null && !StaleNaN.is(v[i]) && random.nextInt(25) == 0) {
						int len = 1 + random.nextInt(3);
						for (int j = i; j < i + len; j++) {
							if (v[j] != null && StaleNaN.is(v[j])) {
								break;
							}
							v[j] = null;
						}
						i += len + 1;
					}
				}
				series.add(new Series(
						Labels.of("__name__", "node_temperature_celsius", "instance", instance, "zone", zone), v));
				n++;
			}
		}
		String[] jobs = { "api", "web" };
		for (String job : jobs) {
			for (int k = 1; k <= 2; k++) {
				Double[] v = new Double[POINTS];
				double value = random.nextInt(30);
				for (int i = 0; i < POINTS; i++) {
					value = Math.max(0, value + random.nextInt(7) - 3);
					v[i] = value;
				}
				series.add(new Series(Labels.of("__name__", "queue_depth", "job", job, "instance", "10.0.0." + k + ":8080"),
						v));
			}
		}
	}

	private void generateHistograms() {
		String[] jobs = { "api", "web" };
		String[] les = { "0.05", "0.1", "0.25", "0.5", "1", "+Inf" };
		double[] bounds = { 0.05, 0.1, 0.25, 0.5, 1, Double.POSITIVE_INFINITY };
		for (String job : jobs) {
			for (int k = 1; k <= 2; k++) {
				String instance = "10.0.0." + k + ":8080";
				Double[][] buckets = new Double[les.length][POINTS];
				Double[] sum = new Double[POINTS];
				Double[] count = new Double[POINTS];
				double[] cumulative = new double[les.length];
				double s = 0;
				// a base from earlier traffic, as if the process had been running: see the zero-point note
				for (int b = 0; b < les.length; b++) {
					cumulative[b] = 0;
				}
				for (int o = 0; o < 3000; o++) {
					s += observe(cumulative, bounds, job);
				}
				for (int i = 0; i < POINTS; i++) {
					// some quiet steps, so that rates of single buckets are sometimes zero
					int observations = random.nextInt(4) == 0 ? 0 : random.nextInt(12);
					for (int o = 0; o < observations; o++) {
						s += observe(cumulative, bounds, job);
					}
					for (int b = 0; b < les.length; b++) {
						buckets[b][i] = cumulative[b];
					}
					sum[i] = s;
					count[i] = cumulative[les.length - 1];
				}
				for (int b = 0; b < les.length; b++) {
					series.add(new Series(Labels.of("__name__", "request_duration_seconds_bucket", "job", job, "instance",
							instance, "le", les[b]), buckets[b]));
				}
				series.add(new Series(
						Labels.of("__name__", "request_duration_seconds_sum", "job", job, "instance", instance), sum));
				series.add(new Series(
						Labels.of("__name__", "request_duration_seconds_count", "job", job, "instance", instance), count));
			}
		}
	}

	/** Adds one observation to the cumulative buckets; returns the observed value (a multiple of 1/256 s). */
	private double observe(double[] cumulative, double[] bounds, String job) {
		int max = job.equals("api") ? 200 : 300;
		double value = (1 + random.nextInt(max)) / 256.0;
		for (int b = 0; b < bounds.length; b++) {
			if (value <= bounds[b]) {
				cumulative[b]++;
			}
		}
		return value;
	}

	private void generateInfo() {
		Double[] ones = new Double[POINTS];
		java.util.Arrays.fill(ones, 1.0);
		series.add(new Series(Labels.of("__name__", "build_info", "job", "api", "version", "1.4.2"), ones));
		series.add(new Series(Labels.of("__name__", "build_info", "job", "web", "version", "2.0.0"), ones));
		series.add(new Series(Labels.of("__name__", "instance_owner", "instance", "10.0.0.1:8080", "team", "payments"),
				ones));
		series.add(new Series(Labels.of("__name__", "instance_owner", "instance", "10.0.0.2:8080", "team", "search"),
				ones));
	}

	// ---- queries ----

	private static final String[] COUNTERS = { "http_requests_total", "http_requests_total{job=\"api\"}",
			"http_requests_total{code=~\"5..\"}", "http_requests_total{code!=\"200\",job=\"web\"}",
			"http_requests_total{instance=~\"10\\\\.0\\\\.0\\\\.1:.*\"}", "{__name__=\"http_requests_total\",job!~\"a.*\"}",
			"request_duration_seconds_count", "request_duration_seconds_sum{job=\"web\"}" };

	private static final String[] GAUGES = { "node_temperature_celsius", "node_temperature_celsius{zone=\"eu-1\"}",
			"node_temperature_celsius{instance!=\"10.0.0.3:9100\"}", "queue_depth", "queue_depth{job=\"api\"}",
			"{__name__=~\"queue_.*\",instance=\"10.0.0.2:8080\"}" };

	/** Outer ranges: multiples of 15s (see the class comment). */
	private static final String[] RANGES = { "1m", "2m", "2m30s", "3m45s", "5m", "10m" };

	/** Ranges inside subqueries: deliberately not multiples of 15s. */
	private static final String[] INNER_RANGES = { "50s", "100s", "2m10s", "200s" };

	private static final String[] SUBQUERY_RANGES = { "5m", "10m", "7m30s" };

	private static final String[] SUBQUERY_STEPS = { "30s", "1m", "45s", "2m" };

	private static final String[] MODIFIERS = { "", "", "", " offset 1m", " offset 2m30s", " offset -45s", " @ 1207",
			" @ 1567 offset 30s", " @ end()", " @ start() offset 5m" };

	private static final String[] AGGREGATIONS = { "sum", "avg", "min", "max", "count", "group", "stddev", "stdvar" };

	private static final String[] OVER_TIME = { "avg_over_time", "min_over_time", "max_over_time", "sum_over_time",
			"count_over_time", "last_over_time", "present_over_time", "stddev_over_time", "stdvar_over_time" };

	private static final String[] COMPARISONS = { "==", "!=", ">", "<", ">=", "<=" };

	private static final String[] ARITHMETIC = { "+", "-", "*", "/", "%", "^" };

	private static final String[] MATH = { "abs", "ceil", "floor", "sqrt", "ln", "log2", "log10", "exp", "sgn", "sin",
			"cos", "atan", "deg", "rad", "sort", "sort_desc", "timestamp" };

	private String pick(String[] options) {
		return options[random.nextInt(options.length)];
	}

	private String counter() {
		return pick(COUNTERS);
	}

	private String gauge() {
		return pick(GAUGES);
	}

	private String range() {
		return "[" + pick(RANGES) + "]";
	}

	private String rateOf() {
		return pick(new String[] { "rate", "irate", "increase" }) + "(" + counter() + range() + pick(MODIFIERS) + ")";
	}

	private String grouping() {
		return pick(new String[] { "", " by (job)", " by (job, instance)", " without (instance)", " without (code)",
				" by ()" });
	}

	private String subquery() {
		return "[" + pick(SUBQUERY_RANGES) + ":" + pick(SUBQUERY_STEPS) + "]";
	}

	private String phi() {
		return pick(new String[] { "0", "0.25", "0.5", "0.9", "0.99", "1" });
	}

	/** The templates; each draws its parameters from the seeded random. */
	private List<Function<Random, String>> templates() {
		return List.of(
			// selectors, matchers, offset and @
			r -> counter() + pick(MODIFIERS),
			r -> gauge() + pick(MODIFIERS),
			r -> "timestamp(" + gauge() + pick(MODIFIERS) + ")",
			// counters
			r -> rateOf(), r -> rateOf(),
			r -> pick(new String[] { "resets", "changes" }) + "(" + counter() + range() + ")",
			r -> "sum" + grouping() + " (" + rateOf() + ")",
			// gauges
			r -> pick(new String[] { "delta", "idelta", "deriv", "changes" }) + "(" + gauge() + range()
					+ pick(MODIFIERS) + ")",
			r -> "predict_linear(" + gauge() + range() + ", " + pick(new String[] { "60", "600", "-300", "3600" }) + ")",
			r -> pick(OVER_TIME) + "(" + gauge() + range() + pick(MODIFIERS) + ")",
			r -> pick(OVER_TIME) + "(" + counter() + range() + ")",
			r -> "quantile_over_time(" + phi() + ", " + gauge() + range() + ")",
			r -> "absent_over_time(" + pick(new String[] { "queue_depth{job=\"nope\"}", "queue_depth" }) + range() + ")",
			// aggregations
			r -> pick(AGGREGATIONS) + grouping() + " (" + gauge() + ")",
			r -> pick(AGGREGATIONS) + grouping() + " (" + rateOf() + ")",
			r -> pick(new String[] { "topk", "bottomk" }) + "(" + (1 + random.nextInt(3)) + ", " + rateOf() + ")",
			r -> pick(new String[] { "topk", "bottomk" }) + " by (job) (" + (1 + random.nextInt(2)) + ", "
					+ pick(new String[] { "node_temperature_celsius * on(instance) group_left instance_owner",
							"avg_over_time(queue_depth[5m])", "rate(http_requests_total[5m])" })
					+ ")",
			r -> "quantile" + grouping() + " (" + phi() + ", " + pick(new String[] { gauge(), rateOf() }) + ")",
			r -> "count_values" + pick(new String[] { "", " by (job)" }) + " (\"depth\", queue_depth)",
			r -> "count_values(\"t\", floor(" + gauge() + "))",
			// binary operators, vector matching
			r -> gauge() + " " + pick(COMPARISONS) + " " + pick(new String[] { "", "bool " }) + (10 + random.nextInt(20)),
			r -> gauge() + " " + pick(ARITHMETIC) + " " + pick(new String[] { "2", "0.5", "3", "-1" }),
			r -> pick(new String[] { "2", "100", "-3" }) + " " + pick(ARITHMETIC) + " " + gauge(),
			r -> "-" + gauge(),
			r -> "queue_depth " + pick(COMPARISONS) + pick(new String[] { " ", " bool " }) + "queue_depth offset "
					+ pick(new String[] { "1m", "2m30s" }),
			r -> "rate(http_requests_total{code=\"500\"}[5m]) / ignoring(code) rate(http_requests_total{code=\"200\"}[5m])",
			r -> "sum by (job, instance) (rate(http_requests_total{code=\"500\"}" + range()
					+ ")) / on(job, instance) group_left sum by (job, instance) (rate(http_requests_total" + range() + "))",
			r -> "rate(http_requests_total" + range() + ") / on(job, instance) group_left sum by (job, instance) "
					+ "(rate(http_requests_total" + range() + "))",
			r -> "queue_depth * on(job) group_left(version) build_info",
			r -> "build_info * on(job) group_right(version) " + pick(new String[] { "queue_depth",
					"sum by (job, instance) (rate(http_requests_total[5m]))" }),
			r -> "node_temperature_celsius * on(instance) group_left(team) instance_owner",
			r -> gauge() + " " + pick(new String[] { "and", "or", "unless" }) + " " + gauge(),
			r -> "queue_depth " + pick(new String[] { "and", "or", "unless" }) + " on(instance) "
					+ pick(new String[] { "instance_owner", "node_temperature_celsius > 25" }),
			r -> "http_requests_total " + pick(COMPARISONS) + pick(new String[] { " ", " bool " })
					+ "ignoring(code) group_left " + pick(new String[] { "sum without (code) (http_requests_total) / 2",
							"max without (code) (http_requests_total)" }),
			r -> "queue_depth " + pick(ARITHMETIC) + " on(job, instance) " + pick(new String[] { "queue_depth offset 1m",
					"(queue_depth + 1)" }),
			// "* 1" drops the name in both versions, so the values are compared; without it the query is excluded
			r -> pick(new String[] { "(%s) * 1", "%s" }).formatted(gauge() + " atan2 "
					+ pick(new String[] { "10", "-3", "queue_depth" })),
			// scalars
			r -> "scalar(sum(" + gauge() + ")) " + pick(ARITHMETIC) + " " + gauge(),
			r -> "scalar(" + pick(new String[] { "queue_depth", "queue_depth{instance=\"10.0.0.1:8080\",job=\"api\"}",
					"build_info{job=\"web\"}" }) + ")",
			r -> pick(new String[] { "1 + 2 * 3", "2 ^ 3 ^ 2", "10 % 3", "time()", "time() - 100", "pi()",
					"vector(1) + 1", "scalar(vector(4)) / 8" }),
			r -> "time() - timestamp(" + gauge() + ")",
			// subqueries
			r -> pick(OVER_TIME) + "(" + pick(new String[] { "rate", "irate", "increase", "deriv", "delta" }) + "("
					+ pick(new String[] { counter(), "queue_depth" }) + "[" + pick(INNER_RANGES) + "])" + subquery()
					+ ")",
			r -> pick(OVER_TIME) + "(" + pick(AGGREGATIONS) + " by (job) (" + gauge() + ")" + subquery()
					+ pick(new String[] { "", " offset 1m", " @ 1597" }) + ")",
			r -> pick(new String[] { "deriv", "rate", "max_over_time", "changes" }) + "(" + gauge() + subquery() + ")",
			r -> "quantile_over_time(" + phi() + ", sum(rate(http_requests_total[" + pick(INNER_RANGES) + "]))"
					+ subquery() + ")",
			// histograms
			r -> "histogram_quantile(" + phi() + ", sum by (le" + pick(new String[] { "", ", job", ", instance" })
					+ ") (rate(request_duration_seconds_bucket" + range() + ")))",
			r -> "histogram_quantile(" + phi() + ", rate(request_duration_seconds_bucket{job=\""
					+ pick(new String[] { "api", "web" }) + "\"}" + range() + "))",
			r -> "histogram_quantile(" + phi() + ", request_duration_seconds_bucket" + pick(MODIFIERS) + ")",
			r -> "rate(request_duration_seconds_sum" + range() + ") / rate(request_duration_seconds_count" + range() + ")",
			// labels
			r -> "label_replace(" + gauge() + ", \"" + pick(new String[] { "host", "zone", "new" }) + "\", \"$1\", \""
					+ pick(new String[] { "instance", "zone", "job" }) + "\", \""
					+ pick(new String[] { "(.*):.*", "(.*)", "eu-(.*)", "nomatch(.*)" }) + "\")",
			r -> "label_replace(" + counter() + ", \"code_class\", \"${1}xx\", \"code\", \"(.).*\")",
			r -> "label_join(" + pick(new String[] { gauge(), counter() }) + ", \"joined\", \""
					+ pick(new String[] { "-", ",", "" }) + "\", " + pick(new String[] { "\"instance\", \"zone\"",
							"\"job\", \"code\", \"instance\"", "\"nope\"", "\"job\"" })
					+ ")",
			// math and misc functions
			r -> pick(MATH) + "(" + gauge() + ")",
			r -> pick(new String[] { "abs", "sqrt", "ln", "exp" }) + "(" + rateOf() + ")",
			r -> "round(" + gauge() + pick(new String[] { "", ", 0.5", ", 5", ", 0.1" }) + ")",
			r -> "clamp(" + gauge() + ", " + (15 + random.nextInt(10)) + ", " + (20 + random.nextInt(10)) + ")",
			r -> pick(new String[] { "clamp_min", "clamp_max" }) + "(" + gauge() + ", " + (10 + random.nextInt(20)) + ")",
			r -> "absent(" + pick(new String[] { "queue_depth", "queue_depth{job=\"nope\"}", "nonexistent{a=\"b\"}",
					"nonexistent{a=\"b\",a=~\"c\"}" }) + ")",
			r -> pick(new String[] { "minute", "hour", "day_of_week", "day_of_month", "days_in_month", "month", "year",
					"day_of_year" }) + "(" + pick(new String[] { "", "timestamp(queue_depth)", "vector(1700000000)" })
					+ ")",
			r -> "vector(" + pick(new String[] { "1", "time()", "scalar(queue_depth{instance=\"10.0.0.2:8080\",job=\"web\"})" })
					+ ")",
			// features that differ between Prometheus 2.42 and 3.x: generated, counted, never compared
			r -> pick(new String[] {
					"double_exponential_smoothing(node_temperature_celsius[5m], 0.5, 0.5)",
					"holt_winters(node_temperature_celsius[5m], 0.5, 0.5)", "mad_over_time(queue_depth[5m])",
					"sort_by_label(queue_depth, \"instance\")", "limitk(1, queue_depth)",
					"first_over_time(queue_depth[5m])" }));
	}

	/**
	 * Why queries are excluded from the comparison: Prometheus 2.42 and 3.x legitimately differ, or 2.42 has a known
	 * defect. Keyed by what the query uses.
	 */
	static final Map<String, String> EXCLUSIONS = new LinkedHashMap<>();

	static {
		EXCLUSIONS.put("double_exponential_smoothing", "Prometheus 3 renamed holt_winters; 2.42 does not know the name");
		EXCLUSIONS.put("holt_winters", "removed in Prometheus 3 (renamed double_exponential_smoothing, feature-flagged)");
		EXCLUSIONS.put("mad_over_time", "added in Prometheus 3 (experimental), unknown to 2.42");
		EXCLUSIONS.put("sort_by_label", "added in Prometheus 2.49 (experimental), unknown to 2.42");
		EXCLUSIONS.put("limitk", "added in Prometheus 2.54 (experimental), unknown to 2.42");
		EXCLUSIONS.put("first_over_time", "added in Prometheus 3.5 (experimental), unknown to 2.42");
		// engine.go's timestamp() special case sets the selector's offset to (step - @), dropping the query's own
		// offset, and the storage was queried for the range with the offset: the result is empty. We return the
		// documented meaning (the sample at @ minus offset). The same code is still in Prometheus 3's engine.go.
		EXCLUSIONS.put("atan2 name", "Prometheus 2.46 started dropping the metric name of x atan2 y (PR #12595); 2.42 "
				+ "keeps it (the values are compared through (x atan2 y) * 1)");
		EXCLUSIONS.put("timestamp @ offset", "Prometheus drops the offset inside timestamp(x @ t offset d) and returns "
				+ "nothing (engine.go timestamp special case); we return the sample at t - d");
	}

	/** The exclusion key for {@code expr}, or null when it is compared. */
	static String exclusion(String expr) {
		if (expr.matches(".*timestamp\\([^()]*@ (start\\(\\)|end\\(\\)|[0-9.]+) offset .*")) {
			return "timestamp @ offset";
		}
		if (expr.contains(" atan2 ") && !expr.endsWith(") * 1")) {
			return "atan2 name";
		}
		for (String name : EXCLUSIONS.keySet()) {
			if (expr.contains(name + "(")) {
				return name;
			}
		}
		return null;
	}

	private void generateQueries(int minQueries) {
		java.util.Set<String> seen = new java.util.HashSet<>();
		List<Function<Random, String>> templates = templates();
		int attempts = 0;
		while (queries.size() < minQueries && attempts < minQueries * 20) {
			attempts++;
			for (Function<Random, String> t : templates) {
				String expr = t.apply(random);
				long eval = FIRST_EVAL_MILLIS + random.nextInt(EVAL_SLOTS) * INTERVAL_MILLIS;
				String key = exclusion(expr);
				java.util.regex.Matcher topk = TOPK.matcher(expr);
				if (seen.add(expr)) {
					queries.add(new Query(expr, eval, key == null ? null : key + ": " + EXCLUSIONS.get(key),
							topk.matches() ? topk.group(1) : null));
				}
			}
		}
	}

}
