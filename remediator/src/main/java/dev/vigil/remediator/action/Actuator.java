package dev.vigil.remediator.action;

/**
 * Carries out actions on one kind of platform: the local launcher's supervisor, the Docker Engine, or Kubernetes.
 * Actions a platform cannot do throw {@link UnsupportedOperationException} with a sentence saying so.
 */
public interface Actuator {

	/** "local", "docker" or "kubernetes": shown in the audit log. */
	String platform();

	void restart(String target);

	/**
	 * Why a restart of {@code target} would be pointless right now, if it would: e.g. the local supervisor is already
	 * starting it (after a crash, or at stack start before it has exported any telemetry — when InstanceDown fires too).
	 * Platforms that cannot tell answer empty and the restart goes ahead.
	 */
	default java.util.Optional<String> restartPointless(String target) {
		return java.util.Optional.empty();
	}

	void scale(String target, int replicas);

	void disableChaos(String target);

}
