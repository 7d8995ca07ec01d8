package dev.vigil.remediator.policy;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Label name → fully anchored regular expression, as in Alertmanager's routes (`alertname: "Instance.*"`). */
public record LabelMatcher(Map<String, Pattern> patterns) {

	static LabelMatcher parse(Map<String, Object> raw, String where) {
		Map<String, Pattern> patterns = new java.util.LinkedHashMap<>();
		raw.forEach((label, value) -> {
			try {
				patterns.put(label, Pattern.compile(String.valueOf(value)));
			}
			catch (PatternSyntaxException ex) {
				throw new PolicyException(where + "." + label + ": invalid regular expression: " + ex.getDescription());
			}
		});
		return new LabelMatcher(Map.copyOf(patterns));
	}

	public boolean matches(Map<String, String> labels) {
		for (Map.Entry<String, Pattern> entry : patterns.entrySet()) {
			String value = labels.getOrDefault(entry.getKey(), "");
			if (!entry.getValue().matcher(value).matches()) {
				return false;
			}
		}
		return true;
	}

}
