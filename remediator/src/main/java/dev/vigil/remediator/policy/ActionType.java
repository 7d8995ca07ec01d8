package dev.vigil.remediator.policy;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What a policy can do about an alert. */
public enum ActionType {

	/** Restart the target (a process, container or deployment). */
	RESTART("restart"),
	/** Remove every active chaos fault from the target service. */
	DISABLE_CHAOS("disable-chaos"),
	/** Set the target's replica count. */
	SCALE("scale"),
	/** Record the decision only; a human acts. */
	NOTIFY("notify");

	private final String yamlName;

	ActionType(String yamlName) {
		this.yamlName = yamlName;
	}

	public String yamlName() {
		return yamlName;
	}

	static ActionType fromYaml(String value, String where) {
		for (ActionType type : values()) {
			if (type.yamlName.equals(value)) {
				return type;
			}
		}
		throw new PolicyException(where + ": unknown action \"" + value + "\"; use one of "
				+ Arrays.stream(values()).map(ActionType::yamlName).collect(Collectors.joining(", ")));
	}

}
