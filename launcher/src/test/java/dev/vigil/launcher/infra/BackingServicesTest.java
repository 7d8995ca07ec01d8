package dev.vigil.launcher.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.launcher.LauncherException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded backing services are the real servers: we talk to them with their real protocols. */
class BackingServicesTest {

	@TempDir
	Path dataDir;

	@Test
	void postgresKeepsDataAcrossStopAndStart() throws Exception {
		EmbeddedPostgresService postgres = new EmbeddedPostgresService(freePort(), dataDir.resolve("pg"));
		try {
			postgres.start();
			execute(postgres.address(), "create table kept (v int); insert into kept values (42)");
			postgres.stop();
			assertThat(postgres.running()).isFalse();

			postgres.start();
			try (Connection connection = DriverManager.getConnection(postgres.address(), "postgres", "postgres");
					Statement statement = connection.createStatement();
					ResultSet rows = statement.executeQuery("select v from kept")) {
				assertThat(rows.next()).isTrue();
				assertThat(rows.getInt(1)).isEqualTo(42);
			}
		}
		finally {
			postgres.stop();
		}
	}

	@Test
	void redisAnswersPingAndCanBeStoppedAndStartedAgain() throws Exception {
		int port = freePort();
		EmbeddedRedisService redis = new EmbeddedRedisService(port, dataDir.resolve("redis"));
		try {
			redis.start();
			assertThat(ping(port)).isEqualTo("+PONG");
			redis.stop();
			assertThat(redis.running()).isFalse();
			redis.start();
			assertThat(ping(port)).isEqualTo("+PONG");
		}
		finally {
			redis.stop();
		}
	}

	@Test
	void kafkaKeepsTopicsAcrossStopAndStartOnTheConfiguredPort() throws Exception {
		int port = freePort();
		EmbeddedKafkaService kafka = new EmbeddedKafkaService(port, dataDir.resolve("kafka"));
		try {
			kafka.start();
			try (AdminClient admin = AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.address()))) {
				assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
					.anySatisfy(node -> assertThat(node.port()).isEqualTo(port));
				admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
			}
			kafka.stop();
			kafka.start();
			try (AdminClient admin = AdminClient.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.address()))) {
				assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).contains("kept");
			}
		}
		finally {
			kafka.stop();
		}
	}

	@Test
	void aTakenPortIsReportedWithTheFix() throws Exception {
		try (ServerSocket taken = new ServerSocket(0)) {
			EmbeddedRedisService redis = new EmbeddedRedisService(taken.getLocalPort(), dataDir.resolve("redis"));
			assertThatThrownBy(redis::start).isInstanceOf(LauncherException.class).hasMessageContaining("VIGIL_REDIS_PORT");
		}
	}

	private static void execute(String url, String sql) throws Exception {
		try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private static String ping(int port) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
