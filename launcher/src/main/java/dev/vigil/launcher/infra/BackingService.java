package dev.vigil.launcher.infra;

/**
 * PostgreSQL, Redis or Kafka, embedded in local mode. Start and stop are repeatable so that chaos experiments can take
 * a dependency away and give it back; data survives a stop.
 */
public interface BackingService {

	String name();

	/** Starts and returns once the service accepts connections. No-op when already running. */
	void start();

	/** Stops; data stays. No-op when not running. */
	void stop();

	boolean running();

	/** How clients reach it, e.g. a JDBC URL or host:port. */
	String address();

}
