package dev.vigil.platform.web;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Defaults every Vigil service shares. Added last, so any application.yaml, environment variable or command line
 * argument wins. A properties file in this jar could not do that: it would shadow or be shadowed by the service's
 * own application.yaml.
 */
public class PlatformDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String SOURCE_NAME = "vigilPlatformDefaults";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.getPropertySources().contains(SOURCE_NAME)) {
			return;
		}
		// The launcher waits on readiness in local mode too, not only on Kubernetes (docs/architecture.md, Health).
		// Services speak JSON only; the form-content filter parses PUT/PATCH/DELETE form bodies in a filter, where a
		// malformed one becomes a 500 instead of a 4xx.
		Map<String, Object> defaults = Map.of("management.endpoint.health.probes.enabled", "true",
				"server.shutdown", "graceful", "spring.mvc.problemdetails.enabled", "false",
				"spring.mvc.formcontent.filter.enabled", "false");
		environment.getPropertySources().addLast(new MapPropertySource(SOURCE_NAME, defaults));
	}

}
