package dev.vigil.slo;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One OpenSLO {@code kind: SLO} document, validated: a ratio SLI over a rolling window.
 *
 * <p>
 * Exactly one of {@code goodQuery} and {@code badQuery} is set. Queries contain the {@code {{.window}}} placeholder
 * (the convention Sloth uses for OpenSLO), replaced by each SLI window.
 */
record OpenSloSpec(Path file, String name, String displayName, String service, String description, String goodQuery,
		String badQuery, String totalQuery, BigDecimal target, Duration period, String alertName) {

	static final String WINDOW_PLACEHOLDER = "{{.window}}";

	/** Sloth's identifier: unique across services, stable across regenerations. */
	String slothId() {
		return this.service + "-" + this.name;
	}

	BigDecimal errorBudget() {
		return BigDecimal.ONE.subtract(this.target);
	}

}
