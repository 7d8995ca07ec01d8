package dev.vigil.telemetry.promql;

import dev.vigil.telemetry.tsdb.Labels;
import dev.vigil.telemetry.tsdb.Queryable;

import java.util.ArrayList;
import java.util.List;

/**
 * The PromQL engine: parses and evaluates instant and range queries against a {@link Queryable} with Prometheus 3
 * semantics (left-open windows, 5m lookback, staleness markers, delayed metric-name removal). Thread-safe; one engine
 * can serve all callers.
 *
 * <p>Failures are {@link PromQLException}s: {@link ParseException} (bad_data) for malformed queries, kind TIMEOUT when
 * the configured timeout passes, kind EXECUTION for evaluation errors such as exceeding the sample limit.
 */
public final class Engine {

	private final Queryable storage;
	private final EngineConfig config;

	public Engine(Queryable storage, EngineConfig config) {
		this.storage = storage;
		this.config = config;
	}

	public Engine(Queryable storage) {
		this(storage, EngineConfig.defaults());
	}

	public EngineConfig config() {
		return config;
	}

	/**
	 * Checks a query's syntax and types without evaluating it (for rule files).
	 * @throws ParseException with a positioned message
	 */
	public static void validate(String query) {
		Parser.parse(query);
	}

	/**
	 * Parses a series selector such as {@code up{job="api"}} into matchers (for {@code match[]} parameters).
	 * @throws ParseException when the text is not a single instant vector selector
	 */
	public static List<dev.vigil.telemetry.tsdb.Matcher> parseSelector(String selector) {
		Expr e = Parser.parse(selector);
		if (!(e instanceof Expr.VectorSelector vs) || vs.offset() != 0 || vs.at() != null
				|| vs.atMode() != Expr.AtMode.NONE) {
			throw new ParseException(selector, 0, "expected a vector selector, got " + e.type().text);
		}
		return vs.matchers();
	}

	/** Evaluates a query at one instant (ms since epoch). */
	public QueryResult instantQuery(String query, long timeMillis) {
		return instantQuery(query, timeMillis, config.timeout());
	}

	/** Like {@link #instantQuery(String, long)} with a per-query timeout (capped by nothing; the caller decides). */
	public QueryResult instantQuery(String query, long timeMillis, java.time.Duration timeout) {
		Expr e = Parser.parse(query);
		Evaluator.Query q = newQuery(query, timeMillis, timeMillis, 0, timeout);
		Evaluator ev = new Evaluator(storage, timeMillis, timeMillis, 1, q);
		Object v = ev.eval(e);
		Value value;
		if (v instanceof Evaluator.Str s) {
			value = new Value.StringValue(timeMillis, s.value());
		}
		else if (e.type() == ValueType.SCALAR) {
			List<SeriesBuf> m = Evaluator.asMatrix(v);
			double val = m.isEmpty() || m.get(0).n == 0 ? Double.NaN : m.get(0).v[0];
			value = new Value.Scalar(timeMillis, val);
		}
		else if (e.type() == ValueType.MATRIX) {
			List<SeriesBuf> m = Evaluator.dropNames(Evaluator.asMatrix(v), true);
			List<Value.Series> out = new ArrayList<>();
			for (SeriesBuf s : m) {
				out.add(new Value.Series(s.metric, java.util.Arrays.copyOf(s.t, s.n),
						java.util.Arrays.copyOf(s.v, s.n)));
			}
			value = new Value.Matrix(out);
		}
		else {
			List<SeriesBuf> m = Evaluator.dropNames(Evaluator.asMatrix(v), true);
			List<Value.Sample> out = new ArrayList<>();
			for (SeriesBuf s : m) {
				if (s.n > 0) {
					out.add(new Value.Sample(s.metric, timeMillis, s.v[0]));
				}
			}
			value = new Value.Vector(out);
		}
		return new QueryResult(value, List.copyOf(q.annotations().warnings), List.copyOf(q.annotations().infos));
	}

	/**
	 * Evaluates a query at every step from start to end inclusive (ms). The expression must be a scalar or instant
	 * vector. The result is a matrix sorted by labels.
	 */
	public QueryResult rangeQuery(String query, long startMillis, long endMillis, long stepMillis) {
		return rangeQuery(query, startMillis, endMillis, stepMillis, config.timeout());
	}

	/** Like {@link #rangeQuery(String, long, long, long)} with a per-query timeout. */
	public QueryResult rangeQuery(String query, long startMillis, long endMillis, long stepMillis,
			java.time.Duration timeout) {
		if (stepMillis <= 0) {
			throw new PromQLException(PromQLException.Kind.BAD_DATA,
					"zero or negative query resolution step widths are not accepted. Try a positive integer");
		}
		if (endMillis < startMillis) {
			throw new PromQLException(PromQLException.Kind.BAD_DATA, "end timestamp must not be before start time");
		}
		Expr e = Parser.parse(query);
		if (e.type() != ValueType.SCALAR && e.type() != ValueType.VECTOR) {
			throw new PromQLException(PromQLException.Kind.BAD_DATA, "invalid expression type \"" + e.type().text
					+ "\" for range query, must be Scalar or instant Vector");
		}
		Evaluator.Query q = newQuery(query, startMillis, endMillis, stepMillis, timeout);
		Evaluator ev = new Evaluator(storage, startMillis, endMillis, stepMillis, q);
		List<SeriesBuf> m = Evaluator.dropNames(Evaluator.asMatrix(ev.eval(e)), false);
		if (e.type() == ValueType.SCALAR) {
			for (SeriesBuf s : m) {
				s.metric = Labels.EMPTY;
			}
		}
		m.sort((a, b) -> a.metric.compareTo(b.metric));
		List<Value.Series> out = new ArrayList<>();
		for (SeriesBuf s : m) {
			// NaN steps of scalar results are real values; vector series only hold steps they have
			if (s.n > 0) {
				out.add(new Value.Series(s.metric, java.util.Arrays.copyOf(s.t, s.n), java.util.Arrays.copyOf(s.v, s.n)));
			}
		}
		return new QueryResult(new Value.Matrix(out), List.copyOf(q.annotations().warnings),
				List.copyOf(q.annotations().infos));
	}

	private Evaluator.Query newQuery(String query, long start, long end, long step, java.time.Duration timeout) {
		return new Evaluator.Query(query, start, end, step, config.lookbackDelta().toMillis(),
				config.defaultSubqueryStep().toMillis(), new Limits(timeout.toMillis(), config.maxSamples()),
				new Annotations(query));
	}

}
