package dev.vigil.remediator;

import java.net.URI;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything the remediator is told, with defaults for local mode. Environment variables bind by Spring's relaxed
 * rules (VIGIL_REMEDIATOR_TOKEN, VIGIL_REMEDIATOR_ACTUATOR, ...).
 *
 * @param token bearer token that webhook callers must send; no token configured = webhooks refused with 503
 * @param policies the policy file (Spring resource location)
 * @param auditFile the append-only audit log (JSON lines)
 * @param actuator local (./vigil's supervisor), docker or kubernetes
 * @param controlUrl the launcher's control API (local)
 * @param launcherState the launcher's state file, where the control token is (local)
 * @param chaosToken the token of the services' chaos endpoints (local)
 * @param dockerSocket the Docker Engine socket (docker)
 * @param containerPrefix prepended to a service name to get its container name (docker)
 * @param kubernetesApi the API server (kubernetes)
 * @param kubernetesNamespace the namespace of the deployments (kubernetes)
 * @param kubernetesTokenFile the service-account token (kubernetes)
 */
@ConfigurationProperties("vigil.remediator")
public record RemediatorProperties(String token, @DefaultValue("classpath:policies.yaml") String policies,
		@DefaultValue(".vigil/remediator/audit.jsonl") Path auditFile, @DefaultValue("local") String actuator,
		@DefaultValue("http://127.0.0.1:8099") URI controlUrl, @DefaultValue(".vigil/launcher.json") Path launcherState,
		@DefaultValue("vigil-chaos") String chaosToken, @DefaultValue("/var/run/docker.sock") Path dockerSocket,
		@DefaultValue("vigil-") String containerPrefix, @DefaultValue("https://kubernetes.default.svc") URI kubernetesApi,
		@DefaultValue("vigil") String kubernetesNamespace,
		@DefaultValue("/var/run/secrets/kubernetes.io/serviceaccount/token") Path kubernetesTokenFile) {

}
