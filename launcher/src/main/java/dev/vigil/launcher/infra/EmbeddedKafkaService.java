package dev.vigil.launcher.infra;

import dev.vigil.launcher.LauncherException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real Kafka broker in KRaft mode (combined broker + controller, one node) inside the launcher JVM, with its log
 * directory under the data directory so that topics, messages and consumer offsets survive a stop and a restart —
 * which is what a Kafka outage chaos experiment needs. The storage is formatted once, on first start.
 */
public final class EmbeddedKafkaService implements BackingService {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

	private final int port;

	private final Path logDir;

	private KafkaRaftServer server;

	public EmbeddedKafkaService(int port, Path logDir) {
		this.port = port;
		this.logDir = logDir;
	}

	@Override
	public String name() {
		return "kafka";
	}

	@Override
	public synchronized void start() {
		if (server != null) {
			return;
		}
		try {
			Files.createDirectories(logDir);
			KafkaConfig config = KafkaConfig.fromProps(properties());
			if (!Files.exists(logDir.resolve("meta.properties"))) {
				format(config);
			}
			KafkaRaftServer candidate = new KafkaRaftServer(config, Time.SYSTEM);
			candidate.startup();
			server = candidate;
			awaitListening();
		}
		catch (IOException | RuntimeException ex) {
			stop();
			throw new LauncherException("Kafka did not start on port " + port + " with logs in " + logDir + ": "
					+ ex.getMessage() + ". Is the port taken? Set VIGIL_KAFKA_PORT to another one.", ex);
		}
	}

	private Properties properties() {
		Properties props = new Properties();
		props.put("process.roles", "broker,controller");
		props.put("node.id", "1");
		props.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort());
		props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort());
		props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
		props.put("controller.listener.names", "CONTROLLER");
		props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
		props.put("log.dirs", logDir.toAbsolutePath().toString());
		props.put("num.partitions", "3");
		props.put("offsets.topic.replication.factor", "1");
		props.put("offsets.topic.num.partitions", "3");
		props.put("transaction.state.log.replication.factor", "1");
		props.put("transaction.state.log.min.isr", "1");
		props.put("share.coordinator.state.topic.replication.factor", "1");
		props.put("group.initial.rebalance.delay.ms", "0");
		props.put("auto.create.topics.enable", "true");
		// Bounded like every store in Vigil: a demo keeps at most a day or 256 MB per partition.
		props.put("log.retention.hours", "24");
		props.put("log.retention.bytes", Long.toString(256L * 1024 * 1024));
		props.put("log.segment.bytes", Long.toString(16L * 1024 * 1024));
		return props;
	}

	/** The controller listens next to the broker; a second fixed port keeps restarts on the same quorum address. */
	private int controllerPort() {
		return port + 1;
	}

	private void format(KafkaConfig config) {
		ByteArrayOutputStream output = new ByteArrayOutputStream();
		try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
			String[] args = { "format", "-t", Uuid.randomUuid().toString(), "-c", "unused", "--standalone" };
			StorageTool.runFormatCommand(StorageTool.parseArguments(args), config, print);
		}
		catch (Exception ex) {
			throw new LauncherException("cannot format Kafka storage in " + logDir + ": " + ex.getMessage() + " ("
					+ output.toString(StandardCharsets.UTF_8).trim() + ")", ex);
		}
	}

	private void awaitListening() {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
				return;
			}
			catch (IOException ex) {
				try {
					Thread.sleep(100);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					throw new LauncherException("interrupted while waiting for Kafka");
				}
			}
		}
		throw new LauncherException("Kafka is not listening on port " + port + " after " + START_TIMEOUT.toSeconds() + " s");
	}

	@Override
	public synchronized void stop() {
		if (server == null) {
			return;
		}
		try {
			server.shutdown();
			server.awaitShutdown();
		}
		finally {
			server = null;
		}
	}

	@Override
	public synchronized boolean running() {
		return server != null;
	}

	@Override
	public String address() {
		return "127.0.0.1:" + port;
	}

}
