package dev.vigil.telemetry.promql;

import java.util.List;

/**
 * A PromQL function: its signature and implementation. {@code variadic} follows Prometheus: 0 means exactly the
 * listed arguments, n &gt; 0 allows n further arguments of the last type, -1 any number; with variadic != 0 the last
 * listed argument is optional.
 */
record Function(String name, List<ValueType> argTypes, int variadic, ValueType returnType, boolean dropsName,
		Impl impl) {

	/** Evaluates one step. {@code args} holds per-type values: List of VSample, Double, String, or a Window. */
	interface Impl {

		void call(List<Object> args, Expr.Call call, StepContext ctx);

	}

	int matrixArgIndex() {
		for (int k = 0; k < argTypes.size(); k++) {
			if (argTypes.get(k) == ValueType.MATRIX) {
				return k;
			}
		}
		return -1;
	}

}
