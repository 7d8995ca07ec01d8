package dev.vigil.gateway.resilience;

/** A REST dependency answered with a 5xx: counts against its circuit, maps to 502 for our client. */
public class DownstreamServerException extends RuntimeException {

	private final String dependency;

	private final int status;

	public DownstreamServerException(String dependency, int status) {
		super(dependency + " answered " + status);
		this.dependency = dependency;
		this.status = status;
	}

	public String dependency() {
		return this.dependency;
	}

	public int status() {
		return this.status;
	}

}
