package dev.vigil.remediator;

import dev.vigil.remediator.action.Actuator;
import dev.vigil.remediator.action.ActuatorException;
import dev.vigil.remediator.action.DockerActuator;
import dev.vigil.remediator.action.HttpCalls;
import dev.vigil.remediator.action.KubernetesActuator;
import dev.vigil.remediator.action.LocalSupervisorActuator;
import dev.vigil.remediator.audit.AuditLog;
import dev.vigil.remediator.engine.RemediationEngine;
import dev.vigil.remediator.policy.PolicyLoader;
import dev.vigil.remediator.policy.PolicySet;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class RemediatorConfiguration {

	@Bean
	PolicySet policySet(RemediatorProperties properties, ResourceLoader resources) throws IOException {
		Resource resource = resources.getResource(properties.policies());
		if (!resource.exists()) {
			throw new IllegalStateException("policy file " + properties.policies() + " does not exist; set "
					+ "VIGIL_REMEDIATOR_POLICIES to a policy YAML file");
		}
		return new PolicyLoader().load(resource.getInputStream(), properties.policies());
	}

	@Bean
	Actuator actuator(RemediatorProperties properties, Clock clock) {
		HttpCalls http = HttpCalls.create();
		return switch (properties.actuator()) {
			case "local" -> new LocalSupervisorActuator(properties.controlUrl(), () -> launcherToken(properties),
					properties.chaosToken(), http);
			case "docker" -> new DockerActuator(properties.dockerSocket(), properties.containerPrefix());
			case "kubernetes" -> new KubernetesActuator(properties.kubernetesApi(), properties.kubernetesNamespace(),
					read(properties), http, clock);
			default -> throw new IllegalStateException("vigil.remediator.actuator is \"" + properties.actuator()
					+ "\"; use local, docker or kubernetes");
		};
	}

	@Bean
	AuditLog auditLog(RemediatorProperties properties, MeterRegistry meters) {
		return new AuditLog(properties.auditFile(), 1_000, meters);
	}

	@Bean
	RemediationEngine remediationEngine(PolicySet policies, Actuator actuator, AuditLog audit, Clock clock,
			ObjectProvider<ObservationRegistry> observations) {
		return new RemediationEngine(policies, actuator, audit, clock,
				observations.getIfAvailable(() -> ObservationRegistry.NOOP));
	}

	private static String launcherToken(RemediatorProperties properties) {
		try {
			return JsonMapper.builder().build().readTree(Files.readString(properties.launcherState())).path("token").asString();
		}
		catch (IOException | RuntimeException ex) {
			throw new ActuatorException("cannot read the launcher's control token from " + properties.launcherState()
					+ ": " + ex.getMessage() + "; is ./vigil up running?");
		}
	}

	private static String read(RemediatorProperties properties) {
		try {
			return Files.readString(properties.kubernetesTokenFile()).trim();
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot read the Kubernetes service-account token "
					+ properties.kubernetesTokenFile() + ": " + ex.getMessage());
		}
	}

}
