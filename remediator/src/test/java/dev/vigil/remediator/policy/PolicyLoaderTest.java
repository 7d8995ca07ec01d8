package dev.vigil.remediator.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PolicyLoaderTest {

	private PolicySet load(String yaml) {
		return new PolicyLoader().load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "p.yaml");
	}

	@Test
	void theShippedPoliciesLoad() {
		PolicySet policies = new PolicyLoader().load(getClass().getResourceAsStream("/policies.yaml"), "policies.yaml");
		assertThat(policies.policies()).isNotEmpty();
		assertThat(policies.cooldown()).isEqualTo(Duration.ofMinutes(2));
	}

	@Test
	void errorsNameTheFileAndTheField() {
		assertThatThrownBy(() -> load("policies: [{name: x, match: {alertname: A}, action: reboot}]"))
			.hasMessageContaining("p.yaml: policies[0] (x).action: unknown action \"reboot\"");
		assertThatThrownBy(() -> load("policies: [{name: x, action: restart}]"))
			.hasMessageContaining("p.yaml: policies[0] (x).match is missing");
		assertThatThrownBy(() -> load("guards: {cooldown: soon}\npolicies: [{name: x, match: {a: b}, action: notify}]"))
			.hasMessageContaining("guards.cooldown is \"soon\"");
		assertThatThrownBy(() -> load("policies: [{name: x, match: {a: '('}, action: notify}]"))
			.hasMessageContaining("invalid regular expression");
		assertThatThrownBy(() -> load("polices: []")).hasMessageContaining("unknown field \"polices\"");
		assertThatThrownBy(() -> load("policies: [{name: x, match: {a: b}, action: scale}]"))
			.hasMessageContaining("replicas must be a positive whole number");
		assertThatThrownBy(() -> load(": : :")).hasMessageContaining("p.yaml: not valid YAML");
	}

}
