package dev.vigil.slo;

import java.time.Duration;
import java.util.List;

/** A rule group; {@code interval} is null when the group inherits Prometheus' global evaluation interval. */
record RuleGroup(String name, Duration interval, List<PrometheusRule> rules) {
}
