package dev.vigil.telemetry.promql;

import java.util.LinkedHashSet;
import java.util.Set;

/** Warnings and infos collected during evaluation, rendered with their expression position like Prometheus. */
final class Annotations {

	final Set<String> warnings = new LinkedHashSet<>();
	final Set<String> infos = new LinkedHashSet<>();
	private final String query;

	Annotations(String query) {
		this.query = query;
	}

	void warn(String msg, Expr at) {
		warnings.add("PromQL warning: " + msg + " (" + ParseException.position(query, at.start()) + ")");
	}

	void info(String msg, Expr at) {
		infos.add("PromQL info: " + msg + " (" + ParseException.position(query, at.start()) + ")");
	}

}
