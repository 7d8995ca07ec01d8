package dev.vigil.telemetry.promql;

import dev.vigil.telemetry.tsdb.Labels;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** histogram_quantile over classic {@code le} buckets (Prometheus promql/quantile.go). */
final class HistogramQuantile {

	private static final double SMALL_DELTA_TOLERANCE = 1e-12;

	private HistogramQuantile() {
	}

	private record Bucket(double upperBound, double count) {
	}

	private static final class Group {

		final Labels labels;
		final List<double[]> buckets = new ArrayList<>();
		String metricName;

		Group(Labels labels) {
			this.labels = labels;
		}

	}

	static void call(List<Object> args, Expr.Call call, StepContext ctx) {
		double q = (Double) args.get(0);
		List<VSample> vec = Functions.vec(args.get(1));
		if (Double.isNaN(q) || q < 0 || q > 1) {
			ctx.annotations.warn("quantile value should be between 0 and 1, got " + Num.format(q), call.args().get(0));
		}
		Map<Labels, Group> groups = new LinkedHashMap<>();
		for (VSample s : vec) {
			String le = s.metric().get("le");
			double ub;
			try {
				ub = parseLe(le);
			}
			catch (NumberFormatException e) {
				ctx.annotations.warn("bucket label \"le\" is missing or has a malformed value of \"" + le
						+ "\" for metric name \"" + s.metric().metricName() + "\"", call.args().get(1));
				continue;
			}
			// the name stays in the group key (delayed name removal); it is dropped from the result at the end
			Labels key = s.metric().toBuilder().delete("le").build();
			Group g = groups.computeIfAbsent(key, Group::new);
			g.metricName = s.metric().metricName();
			g.buckets.add(new double[] { ub, s.v() });
		}
		for (Group g : groups.values()) {
			boolean[] flags = new boolean[2];
			double v = bucketQuantile(q, g.buckets, flags);
			if (flags[0]) {
				ctx.annotations.info("input to histogram_quantile needed to be fixed for monotonicity (see "
						+ "https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) "
						+ "for metric name \"" + g.metricName + "\"", call.args().get(1));
			}
			ctx.emit(g.labels, v, true);
		}
	}

	private static double parseLe(String le) {
		String s = le.trim();
		if (s.isEmpty()) {
			throw new NumberFormatException();
		}
		return switch (s.toLowerCase(java.util.Locale.ROOT)) {
			case "+inf", "inf", "+infinity", "infinity" -> Double.POSITIVE_INFINITY;
			case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
			case "nan" -> Double.NaN;
			default -> {
				if (!s.matches("[-+]?(\\d[\\d_]*\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?|0[xX][0-9a-fA-F.]+([pP][-+]?\\d+)?")) {
					throw new NumberFormatException(le);
				}
				yield Double.parseDouble(s.replace("_", ""));
			}
		};
	}

	/** flags[0] is set when buckets had to be forced monotonic, flags[1] when small deltas were ignored. */
	static double bucketQuantile(double q, List<double[]> in, boolean[] flags) {
		if (Double.isNaN(q)) {
			return Double.NaN;
		}
		if (q < 0) {
			return Double.NEGATIVE_INFINITY;
		}
		if (q > 1) {
			return Double.POSITIVE_INFINITY;
		}
		List<double[]> sorted = new ArrayList<>(in);
		sorted.sort((a, b) -> Double.compare(a[0], b[0]));
		if (sorted.isEmpty() || sorted.get(sorted.size() - 1)[0] != Double.POSITIVE_INFINITY) {
			return Double.NaN;
		}
		// coalesce buckets with the same upper bound
		List<Bucket> buckets = new ArrayList<>();
		for (double[] b : sorted) {
			if (!buckets.isEmpty() && buckets.get(buckets.size() - 1).upperBound == b[0]) {
				Bucket last = buckets.remove(buckets.size() - 1);
				buckets.add(new Bucket(b[0], last.count + b[1]));
			}
			else {
				buckets.add(new Bucket(b[0], b[1]));
			}
		}
		double[] counts = new double[buckets.size()];
		for (int i = 0; i < counts.length; i++) {
			counts[i] = buckets.get(i).count;
		}
		double prev = counts[0];
		for (int i = 1; i < counts.length; i++) {
			double cur = counts[i];
			if (cur == prev) {
				continue;
			}
			if (almostEqual(prev, cur, SMALL_DELTA_TOLERANCE)) {
				counts[i] = prev;
				flags[1] = true;
				continue;
			}
			if (cur < prev) {
				counts[i] = prev;
				flags[0] = true;
				continue;
			}
			prev = cur;
		}
		if (counts.length < 2) {
			return Double.NaN;
		}
		double observations = counts[counts.length - 1];
		if (observations == 0) {
			return Double.NaN;
		}
		double rank = q * observations;
		int b = 0;
		while (b < counts.length - 1 && counts[b] < rank) {
			b++;
		}
		if (b == counts.length - 1) {
			return buckets.get(counts.length - 2).upperBound;
		}
		if (b == 0 && buckets.get(0).upperBound <= 0) {
			return buckets.get(0).upperBound;
		}
		double bucketStart = 0;
		double bucketEnd = buckets.get(b).upperBound;
		double count = counts[b];
		if (b > 0) {
			bucketStart = buckets.get(b - 1).upperBound;
			count -= counts[b - 1];
			rank -= counts[b - 1];
		}
		return bucketStart + (bucketEnd - bucketStart) * (rank / count);
	}

	static boolean almostEqual(double a, double b, double eps) {
		if (a == b) {
			return true;
		}
		double absSum = Math.abs(a) + Math.abs(b);
		double diff = Math.abs(a - b);
		if (a == 0 || b == 0 || absSum < Double.MIN_NORMAL) {
			return diff < eps * Double.MIN_NORMAL;
		}
		return diff / Math.min(absSum, Double.MAX_VALUE) < eps;
	}

}
