package dev.vigil.slo;

import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads OpenSLO {@code openslo/v1} SLO documents and rejects anything the generator cannot turn into correct rules,
 * naming the file and the field.
 */
final class OpenSloSpecLoader {

	static final String API_VERSION = "openslo/v1";

	/** Overrides the generated alert name (otherwise the PascalCase SLO name + {@code ErrorBudgetBurn}). */
	static final String ALERT_NAME_ANNOTATION = "vigil.dev/alert-name";

	/**
	 * The burn-rate factors 14.4/6/3/1 are calibrated for a 30-day budget (SRE workbook, "Alerting on SLOs"); other
	 * periods would need other factors, so they are refused rather than silently mis-alerting.
	 */
	static final Duration SUPPORTED_PERIOD = Duration.ofDays(30);

	private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

	private static final Pattern ALERT_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

	/** Loads every {@code *.yaml} / {@code *.yml} file in the directory, in file-name order. */
	List<OpenSloSpec> loadDirectory(Path directory) throws IOException {
		if (!Files.isDirectory(directory)) {
			throw new IOException("specs directory not found: " + directory);
		}
		List<Path> files;
		try (Stream<Path> listing = Files.list(directory)) {
			files = listing.filter((file) -> file.toString().endsWith(".yaml") || file.toString().endsWith(".yml"))
				.sorted()
				.toList();
		}
		if (files.isEmpty()) {
			throw new IOException("no *.yaml or *.yml SLO specs in " + directory);
		}
		List<OpenSloSpec> specs = new ArrayList<>();
		Map<String, Path> seenIds = new HashMap<>();
		for (Path file : files) {
			for (OpenSloSpec spec : loadFile(file)) {
				Path previous = seenIds.putIfAbsent(spec.slothId(), file);
				if (previous != null) {
					throw new InvalidSpecException(file, "metadata.name",
							"SLO '" + spec.name() + "' of service '" + spec.service() + "' is already defined in "
									+ previous);
				}
				specs.add(spec);
			}
		}
		return specs;
	}

	List<OpenSloSpec> loadFile(Path file) throws IOException {
		List<OpenSloSpec> specs = new ArrayList<>();
		Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
		try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			int index = 0;
			for (Object document : yaml.loadAll(reader)) {
				if (document != null) {
					specs.add(toSpec(new Fields(file, index), document));
				}
				index++;
			}
		}
		catch (YAMLException ex) {
			throw new InvalidSpecException(file, "(yaml)", firstLine(ex.getMessage()));
		}
		return specs;
	}

	private OpenSloSpec toSpec(Fields fields, Object document) {
		Map<?, ?> root = fields.map(document, "(document)");
		String apiVersion = fields.requiredString(root, "apiVersion", "apiVersion");
		if (!API_VERSION.equals(apiVersion)) {
			throw fields.invalid("apiVersion", "unknown apiVersion '" + apiVersion + "', expected '" + API_VERSION + "'");
		}
		String kind = fields.requiredString(root, "kind", "kind");
		if (!"SLO".equals(kind)) {
			throw fields.invalid("kind", "unknown kind '" + kind + "', expected 'SLO'");
		}
		Map<?, ?> metadata = fields.requiredMap(root, "metadata", "metadata");
		String name = fields.requiredString(metadata, "name", "metadata.name");
		if (!DNS_LABEL.matcher(name).matches()) {
			throw fields.invalid("metadata.name", "'" + name + "' must be lower-case letters, digits and '-'");
		}
		String displayName = fields.optionalString(metadata, "displayName", "metadata.displayName", name);
		String alertName = defaultAlertName(name);
		Object annotations = metadata.get("annotations");
		if (annotations != null) {
			Map<?, ?> annotationMap = fields.map(annotations, "metadata.annotations");
			alertName = fields.optionalString(annotationMap, ALERT_NAME_ANNOTATION,
					"metadata.annotations." + ALERT_NAME_ANNOTATION, alertName);
			if (!ALERT_NAME.matcher(alertName).matches()) {
				throw fields.invalid("metadata.annotations." + ALERT_NAME_ANNOTATION,
						"'" + alertName + "' is not a valid alert name");
			}
		}

		Map<?, ?> spec = fields.requiredMap(root, "spec", "spec");
		String service = fields.requiredString(spec, "service", "spec.service");
		String description = fields.optionalString(spec, "description", "spec.description", displayName);
		if (spec.containsKey("indicatorRef")) {
			throw fields.invalid("spec.indicatorRef", "not supported, inline the SLI as spec.indicator");
		}
		Map<?, ?> indicator = fields.requiredMap(spec, "indicator", "spec.indicator");
		Map<?, ?> indicatorSpec = fields.requiredMap(indicator, "spec", "spec.indicator.spec");
		if (indicatorSpec.containsKey("thresholdMetric")) {
			throw fields.invalid("spec.indicator.spec.thresholdMetric", "not supported, use ratioMetric");
		}
		Map<?, ?> ratio = fields.requiredMap(indicatorSpec, "ratioMetric", "spec.indicator.spec.ratioMetric");
		String ratioPath = "spec.indicator.spec.ratioMetric";
		boolean hasGood = ratio.containsKey("good");
		boolean hasBad = ratio.containsKey("bad");
		if (hasGood == hasBad) {
			throw fields.invalid(ratioPath, "needs exactly one of 'good' and 'bad'");
		}
		String goodQuery = hasGood ? query(fields, ratio, "good", ratioPath + ".good") : null;
		String badQuery = hasBad ? query(fields, ratio, "bad", ratioPath + ".bad") : null;
		String totalQuery = query(fields, ratio, "total", ratioPath + ".total");

		Duration period = period(fields, spec);
		Object budgeting = spec.get("budgetingMethod");
		if (budgeting != null && !"Occurrences".equals(budgeting)) {
			throw fields.invalid("spec.budgetingMethod",
					"unsupported budgetingMethod '" + budgeting + "', only 'Occurrences' is supported");
		}
		BigDecimal target = target(fields, spec);
		return new OpenSloSpec(fields.file, name, displayName, service, description, goodQuery, badQuery, totalQuery,
				target, period, alertName);
	}

	private String query(Fields fields, Map<?, ?> ratio, String key, String path) {
		Map<?, ?> side = fields.requiredMap(ratio, key, path);
		Map<?, ?> source = fields.requiredMap(side, "metricSource", path + ".metricSource");
		String type = fields.requiredString(source, "type", path + ".metricSource.type");
		if (!"prometheus".equals(type.toLowerCase(Locale.ROOT))) {
			throw fields.invalid(path + ".metricSource.type",
					"unsupported metric source type '" + type + "', expected 'Prometheus'");
		}
		Map<?, ?> sourceSpec = fields.requiredMap(source, "spec", path + ".metricSource.spec");
		String query = fields.requiredString(sourceSpec, "query", path + ".metricSource.spec.query").strip();
		String normalized = query.replaceAll("\\{\\{\\s*\\.window\\s*}}", OpenSloSpec.WINDOW_PLACEHOLDER);
		if (!normalized.contains(OpenSloSpec.WINDOW_PLACEHOLDER)) {
			throw fields.invalid(path + ".metricSource.spec.query", "must use " + OpenSloSpec.WINDOW_PLACEHOLDER
					+ " as the range of its rate()/increase() so every SLI window gets its own range");
		}
		return normalized;
	}

	private Duration period(Fields fields, Map<?, ?> spec) {
		Object windows = spec.get("timeWindow");
		if (!(windows instanceof List<?> list) || list.size() != 1) {
			throw fields.invalid("spec.timeWindow", "needs exactly one time window, e.g. [{duration: 30d, isRolling: true}]");
		}
		Map<?, ?> window = fields.map(list.get(0), "spec.timeWindow[0]");
		String text = fields.requiredString(window, "duration", "spec.timeWindow[0].duration");
		Duration duration = PrometheusDuration.parse(text);
		if (!Boolean.TRUE.equals(window.get("isRolling"))) {
			throw fields.invalid("spec.timeWindow[0].isRolling",
					"only rolling windows are supported (calendar windows need a different budget computation)");
		}
		if (duration == null || !duration.equals(SUPPORTED_PERIOD)) {
			throw fields.invalid("spec.timeWindow[0].duration",
					"unknown time window '" + text + "', supported: 30d (the burn-rate factors are calibrated for 30 days)");
		}
		return duration;
	}

	private BigDecimal target(Fields fields, Map<?, ?> spec) {
		Object objectives = spec.get("objectives");
		if (!(objectives instanceof List<?> list) || list.size() != 1) {
			throw fields.invalid("spec.objectives", "needs exactly one objective with a target");
		}
		Map<?, ?> objective = fields.map(list.get(0), "spec.objectives[0]");
		Object raw = objective.get("target");
		String path = "spec.objectives[0].target";
		if (raw == null) {
			if (objective.containsKey("targetPercent")) {
				throw fields.invalid("spec.objectives[0].targetPercent", "not supported, use target (a ratio, e.g. 0.999)");
			}
			throw fields.invalid(path, "missing");
		}
		if (!(raw instanceof Number)) {
			throw fields.invalid(path, "must be a number, was '" + raw + "'");
		}
		BigDecimal target = new BigDecimal(raw.toString());
		if (target.signum() <= 0 || target.compareTo(BigDecimal.ONE) >= 0) {
			throw fields.invalid(path, "must be > 0 and < 1 (a ratio such as 0.999), was " + raw);
		}
		return target;
	}

	static String defaultAlertName(String sloName) {
		StringBuilder pascal = new StringBuilder();
		for (String part : sloName.split("-")) {
			if (!part.isEmpty()) {
				pascal.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
			}
		}
		return pascal + "ErrorBudgetBurn";
	}

	private static String firstLine(String message) {
		return (message != null) ? message.lines().findFirst().orElse(message) : "not valid YAML";
	}

	/** Field access that reports the path of whatever is missing or mistyped. */
	private static final class Fields {

		private final Path file;

		private final int documentIndex;

		Fields(Path file, int documentIndex) {
			this.file = file;
			this.documentIndex = documentIndex;
		}

		InvalidSpecException invalid(String field, String problem) {
			String location = (this.documentIndex > 0) ? " (document " + (this.documentIndex + 1) + ")" : "";
			return new InvalidSpecException(this.file, field + location, problem);
		}

		Map<?, ?> map(Object value, String path) {
			if (value instanceof Map<?, ?> map) {
				return map;
			}
			throw invalid(path, "must be a mapping");
		}

		Map<?, ?> requiredMap(Map<?, ?> parent, String key, String path) {
			Object value = parent.get(key);
			if (value == null) {
				throw invalid(path, "missing");
			}
			return map(value, path);
		}

		String requiredString(Map<?, ?> parent, String key, String path) {
			Object value = parent.get(key);
			if (value == null || value.toString().isBlank()) {
				throw invalid(path, "missing");
			}
			if (value instanceof Map || value instanceof List) {
				throw invalid(path, "must be a string");
			}
			return value.toString();
		}

		String optionalString(Map<?, ?> parent, String key, String path, String fallback) {
			return parent.containsKey(key) ? requiredString(parent, key, path) : fallback;
		}

	}

}
