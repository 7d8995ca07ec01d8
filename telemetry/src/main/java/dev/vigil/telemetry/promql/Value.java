package dev.vigil.telemetry.promql;

import dev.vigil.telemetry.tsdb.Labels;

import java.util.List;

/** A query result value: one of {@link Scalar}, {@link StringValue}, {@link Vector}, {@link Matrix}. */
public sealed interface Value {

	/** The Prometheus API {@code resultType}. */
	String resultType();

	/** A scalar at a timestamp (ms). */
	record Scalar(long timestamp, double value) implements Value {

		public String resultType() {
			return "scalar";
		}

	}

	/** A string at a timestamp (ms). */
	record StringValue(long timestamp, String value) implements Value {

		public String resultType() {
			return "string";
		}

	}

	/** An instant vector. Order is meaningful only after sort functions and topk/bottomk. */
	record Vector(List<Sample> samples) implements Value {

		public String resultType() {
			return "vector";
		}

	}

	/** A range vector, series sorted by labels for range queries. */
	record Matrix(List<Series> series) implements Value {

		public String resultType() {
			return "matrix";
		}

	}

	/** One element of a vector. */
	record Sample(Labels metric, long timestamp, double value) {
	}

	/** One series of a matrix: points in time order. */
	record Series(Labels metric, long[] timestamps, double[] values) {
	}

}
