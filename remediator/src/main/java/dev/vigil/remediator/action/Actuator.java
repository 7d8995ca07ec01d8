package dev.vigil.remediator.action;

/**
 * Carries out actions on one kind of platform: the local launcher's supervisor, the Docker Engine, or Kubernetes.
 * Actions a platform cannot do throw {@link UnsupportedOperationException} with a sentence saying so.
 */
public interface Actuator {

	/** "local", "docker" or "kubernetes": shown in the audit log. */
	String platform();

	void restart(String target);

	void scale(String target, int replicas);

	void disableChaos(String target);

}
