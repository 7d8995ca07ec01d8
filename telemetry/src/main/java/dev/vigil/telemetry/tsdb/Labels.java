package dev.vigil.telemetry.tsdb;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * An immutable set of label name/value pairs, sorted by name, identifying one series. The metric name is the
 * label {@value #METRIC_NAME}. Empty values are treated as absent, as in Prometheus.
 */
public final class Labels implements Comparable<Labels> {

	/** The label that holds the metric name. */
	public static final String METRIC_NAME = "__name__";

	/** The empty label set. */
	public static final Labels EMPTY = new Labels(new String[0]);

	// name0, value0, name1, value1, ... sorted by name; no empty values, no duplicate names
	private final String[] pairs;
	private int hash;

	private Labels(String[] pairs) {
		this.pairs = pairs;
	}

	/** Builds labels from alternating names and values, e.g. {@code Labels.of("__name__", "up", "job", "api")}. */
	public static Labels of(String... namesAndValues) {
		if (namesAndValues.length % 2 != 0) {
			throw new IllegalArgumentException("labels need name/value pairs");
		}
		Builder b = builder();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			b.set(namesAndValues[i], namesAndValues[i + 1]);
		}
		return b.build();
	}

	/** Builds labels from a map; entries with empty values are dropped. */
	public static Labels of(Map<String, String> map) {
		Builder b = builder();
		map.forEach(b::set);
		return b.build();
	}

	public static Builder builder() {
		return new Builder(EMPTY);
	}

	/** A builder initialised with these labels, for deriving a modified copy. */
	public Builder toBuilder() {
		return new Builder(this);
	}

	/** The value of the label, or the empty string when absent (Prometheus semantics). */
	public String get(String name) {
		int i = indexOf(name);
		return i < 0 ? "" : pairs[2 * i + 1];
	}

	public boolean has(String name) {
		return indexOf(name) >= 0;
	}

	/** The metric name, or the empty string. */
	public String metricName() {
		return get(METRIC_NAME);
	}

	public int size() {
		return pairs.length / 2;
	}

	public boolean isEmpty() {
		return pairs.length == 0;
	}

	public String name(int i) {
		return pairs[2 * i];
	}

	public String value(int i) {
		return pairs[2 * i + 1];
	}

	public void forEach(BiConsumer<String, String> action) {
		for (int i = 0; i < pairs.length; i += 2) {
			action.accept(pairs[i], pairs[i + 1]);
		}
	}

	/** The labels as an ordered map. */
	public Map<String, String> toMap() {
		Map<String, String> m = new TreeMap<>();
		forEach(m::put);
		return m;
	}

	public List<String> names() {
		List<String> out = new ArrayList<>(size());
		for (int i = 0; i < pairs.length; i += 2) {
			out.add(pairs[i]);
		}
		return out;
	}

	/** A copy without the given label names. */
	public Labels without(Collection<String> names) {
		return filter(names, false);
	}

	/** A copy without the metric name. */
	public Labels withoutMetricName() {
		return has(METRIC_NAME) ? filter(List.of(METRIC_NAME), false) : this;
	}

	/** A copy keeping only the given label names. */
	public Labels keep(Collection<String> names) {
		return filter(names, true);
	}

	// the pairs are sorted already, so filtering keeps them sorted; this is on the query hot path
	private Labels filter(Collection<String> names, boolean keep) {
		String[] out = new String[pairs.length];
		int n = 0;
		for (int i = 0; i < pairs.length; i += 2) {
			if (names.contains(pairs[i]) == keep) {
				out[n++] = pairs[i];
				out[n++] = pairs[i + 1];
			}
		}
		if (n == pairs.length) {
			return this;
		}
		return n == 0 ? EMPTY : new Labels(Arrays.copyOf(out, n));
	}

	private int indexOf(String name) {
		int lo = 0;
		int hi = size() - 1;
		while (lo <= hi) {
			int mid = (lo + hi) >>> 1;
			int c = pairs[2 * mid].compareTo(name);
			if (c == 0) {
				return mid;
			}
			if (c < 0) {
				lo = mid + 1;
			}
			else {
				hi = mid - 1;
			}
		}
		return -1;
	}

	/**
	 * A stable 64-bit hash identical to Prometheus's {@code labels.Labels.Hash()} (xxHash64 over name, 0xff, value,
	 * 0xff for each label), so hash-based choices such as limit_ratio pick the same series as Prometheus.
	 */
	public long stableHash() {
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		for (int i = 0; i < pairs.length; i += 2) {
			out.writeBytes(pairs[i].getBytes(java.nio.charset.StandardCharsets.UTF_8));
			out.write(0xff);
			out.writeBytes(pairs[i + 1].getBytes(java.nio.charset.StandardCharsets.UTF_8));
			out.write(0xff);
		}
		return XxHash64.hash(out.toByteArray());
	}

	@Override
	public boolean equals(Object o) {
		return o instanceof Labels other && (this == other || Arrays.equals(pairs, other.pairs));
	}

	@Override
	public int hashCode() {
		int h = hash;
		if (h == 0) {
			// Arrays.hashCode combines the strings' base-31 hashes with base 31 again, so label sets that differ in
			// one digit of two values (job="a1", instance="i12") collide in bulk; mixing each string's hash with an
			// odd 32-bit constant and a shift spreads them over the hash-table buckets
			h = 1;
			for (String p : pairs) {
				h = (h ^ p.hashCode()) * 0x9E3779B1;
				h ^= h >>> 15;
			}
			hash = h;
		}
		return h;
	}

	/** Orders label sets as Prometheus does: by name, then value, pairwise; shorter first on a common prefix. */
	@Override
	public int compareTo(Labels o) {
		int n = Math.min(pairs.length, o.pairs.length);
		for (int i = 0; i < n; i++) {
			int c = pairs[i].compareTo(o.pairs[i]);
			if (c != 0) {
				return c;
			}
		}
		return Integer.compare(pairs.length, o.pairs.length);
	}

	/** Prometheus text form: {@code name{a="b", c="d"}}, or {@code {a="b"}} without a name. */
	@Override
	public String toString() {
		StringBuilder sb = new StringBuilder();
		String name = metricName();
		sb.append(name);
		sb.append('{');
		boolean first = true;
		for (int i = 0; i < pairs.length; i += 2) {
			if (pairs[i].equals(METRIC_NAME)) {
				continue;
			}
			if (!first) {
				sb.append(", ");
			}
			first = false;
			sb.append(pairs[i]).append("=\"").append(escape(pairs[i + 1])).append('"');
		}
		sb.append('}');
		if (!name.isEmpty() && first) {
			return name;
		}
		return sb.toString();
	}

	private static String escape(String s) {
		return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
	}

	/** Mutable builder; {@link #set} with an empty value deletes the label. */
	public static final class Builder {

		private final TreeMap<String, String> map = new TreeMap<>();

		Builder(Labels base) {
			base.forEach(map::put);
		}

		public Builder set(String name, String value) {
			if (value == null || value.isEmpty()) {
				map.remove(name);
			}
			else {
				map.put(name, value);
			}
			return this;
		}

		public Builder delete(String name) {
			map.remove(name);
			return this;
		}

		public String get(String name) {
			return map.getOrDefault(name, "");
		}

		public Labels build() {
			if (map.isEmpty()) {
				return EMPTY;
			}
			String[] p = new String[map.size() * 2];
			int i = 0;
			for (Map.Entry<String, String> e : map.entrySet()) {
				p[i++] = e.getKey();
				p[i++] = e.getValue();
			}
			return new Labels(p);
		}

	}

}
