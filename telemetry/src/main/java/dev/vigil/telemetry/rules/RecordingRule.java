package dev.vigil.telemetry.rules;

import dev.vigil.telemetry.tsdb.Labels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code record:} rules: the query result renamed and relabelled, as Prometheus's {@code rules/recording.go}. */
final class RecordingRule extends Rule {

	RecordingRule(String record, String expr, Map<String, String> labels) {
		super(record, expr, labels);
	}

	@Override
	List<Sample> eval(long ts, QueryFunc query, Template.Data base) {
		List<Sample> result = query.query(expr, ts);
		List<Sample> out = new ArrayList<>(result.size());
		Set<Labels> seen = new HashSet<>();
		for (Sample s : result) {
			Labels.Builder b = s.labels().toBuilder().set(Labels.METRIC_NAME, name);
			labels.forEach(b::set);
			Labels l = b.build();
			if (!seen.add(l)) {
				throw new IllegalStateException("vector contains metrics with the same labelset after applying rule labels");
			}
			out.add(new Sample(l, s.value()));
		}
		return out;
	}

}
