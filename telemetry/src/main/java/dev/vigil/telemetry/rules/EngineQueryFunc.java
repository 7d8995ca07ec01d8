package dev.vigil.telemetry.rules;

import dev.vigil.telemetry.promql.Engine;
import dev.vigil.telemetry.promql.ParseException;
import dev.vigil.telemetry.promql.Value;
import dev.vigil.telemetry.tsdb.Labels;
import java.util.ArrayList;
import java.util.List;

/** Prometheus's {@code rules.EngineQueryFunc}: vectors as they are, scalars as one unlabelled sample. */
public final class EngineQueryFunc implements QueryFunc {

	private final Engine engine;

	public EngineQueryFunc(Engine engine) {
		this.engine = engine;
	}

	/** Load-time validation through the PromQL parser. */
	public static final ExprChecker CHECKER = expr -> {
		try {
			Engine.validate(expr);
			return null;
		}
		catch (ParseException e) {
			return e.getMessage();
		}
		catch (RuntimeException e) {
			return e.getMessage() == null ? e.toString() : e.getMessage();
		}
	};

	@Override
	public List<Sample> query(String expr, long timeMillis) {
		Value v = engine.instantQuery(expr, timeMillis).value();
		if (v instanceof Value.Vector vec) {
			List<Sample> out = new ArrayList<>(vec.samples().size());
			for (Value.Sample s : vec.samples()) {
				out.add(new Sample(s.metric(), s.value()));
			}
			return out;
		}
		if (v instanceof Value.Scalar s) {
			return List.of(new Sample(Labels.EMPTY, s.value()));
		}
		throw new IllegalStateException("rule result is not a vector or scalar");
	}

}
