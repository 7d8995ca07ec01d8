package dev.vigil.telemetry.promql;

import dev.vigil.telemetry.tsdb.Labels;

import java.util.ArrayList;
import java.util.List;

/** Per-step state handed to function implementations: the step time, the output vector and annotations. */
final class StepContext {

	long ts;
	final List<VSample> out = new ArrayList<>();
	final Annotations annotations;
	final String query;
	/** Start, end and step of the top-level query in ms, for start(), end(), range() and step(). */
	long queryStart;
	long queryEnd;
	long queryStep;

	StepContext(Annotations annotations, String query) {
		this.annotations = annotations;
		this.query = query;
	}

	void emit(Labels metric, double v, boolean dropName) {
		out.add(new VSample(metric, v, dropName));
	}

}
