package dev.vigil.remediator.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The actuators speak the real protocols (HTTP over TCP, HTTP over a unix socket) to stand-in servers on loopback. */
class ActuatorProtocolTest {

	final List<String> requests = new CopyOnWriteArrayList<>();

	HttpServer server;

	@TempDir
	Path dir;

	@AfterEach
	void stop() {
		if (server != null) {
			server.stop(0);
		}
	}

	URI startHttp(int status) throws IOException {
		server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.createContext("/", exchange -> {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
					+ exchange.getRequestHeaders().getFirst("Authorization") + " "
					+ exchange.getRequestHeaders().getFirst("Content-Type") + " " + body);
			byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(status, answer.length);
			exchange.getResponseBody().write(answer);
			exchange.close();
		});
		server.start();
		return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
	}

	@Test
	void localActuatorAsksTheLauncherToRestartWithItsToken() throws IOException {
		URI launcher = startHttp(200);
		new LocalSupervisorActuator(launcher, () -> "secret", "chaos", HttpCalls.create()).restart("orders");
		assertThat(requests).singleElement().asString().startsWith("POST /api/processes/orders/restart Bearer secret");
	}

	@Test
	void localActuatorLeavesAProcessTheSupervisorIsStartingToTheSupervisor() throws IOException {
		server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.createContext("/api/status", exchange -> {
			byte[] answer = ("{\"processes\":[{\"name\":\"orders\",\"state\":\"STARTING\"},{\"name\":\"payments\",\"state\":\"NOT_READY\",\"uptimeSeconds\":5},"
					+ "{\"name\":\"users\",\"state\":\"READY\",\"uptimeSeconds\":12},{\"name\":\"gateway\",\"state\":\"READY\",\"uptimeSeconds\":600}]}")
				.getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, answer.length);
			exchange.getResponseBody().write(answer);
			exchange.close();
		});
		server.start();
		LocalSupervisorActuator actuator = new LocalSupervisorActuator(
				URI.create("http://127.0.0.1:" + server.getAddress().getPort()), () -> "secret", "chaos", HttpCalls.create());
		assertThat(actuator.restartPointless("orders")).hasValueSatisfying(reason -> assertThat(reason).contains("STARTING"));
		assertThat(actuator.restartPointless("payments")).isEmpty();
		assertThat(actuator.restartPointless("users")).hasValueSatisfying(reason -> assertThat(reason).contains("12 s ago"));
		assertThat(actuator.restartPointless("gateway")).isEmpty();
		assertThat(actuator.restartPointless("unknown")).isEmpty();
	}

	@Test
	void aRefusalOfTheLauncherBecomesAnActuatorException() throws IOException {
		URI launcher = startHttp(404);
		LocalSupervisorActuator actuator = new LocalSupervisorActuator(launcher, () -> "secret", "chaos", HttpCalls.create());
		assertThatThrownBy(() -> actuator.restart("nope")).isInstanceOf(ActuatorException.class).hasMessageContaining("HTTP 404");
		assertThatThrownBy(() -> actuator.scale("orders", 3)).isInstanceOf(UnsupportedOperationException.class);
	}

	@Test
	void kubernetesActuatorPatchesTheDeploymentAsKubectlDoes() throws IOException {
		URI api = startHttp(200);
		Clock clock = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);
		KubernetesActuator actuator = new KubernetesActuator(api, "shop", "sa-token", HttpCalls.create(), clock);
		actuator.restart("orders");
		actuator.scale("orders", 3);
		assertThat(requests).containsExactly(
				"PATCH /apis/apps/v1/namespaces/shop/deployments/orders Bearer sa-token application/strategic-merge-patch+json "
						+ "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"kubectl.kubernetes.io/restartedAt\":\"2026-11-23T12:00:00Z\"}}}}}",
				"PATCH /apis/apps/v1/namespaces/shop/deployments/orders/scale Bearer sa-token application/merge-patch+json "
						+ "{\"spec\":{\"replicas\":3}}");
	}

	@Test
	void dockerActuatorRestartsTheContainerOverTheEngineSocket() throws Exception {
		Path socket = dir.resolve("docker.sock");
		try (ServerSocketChannel engine = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
			engine.bind(UnixDomainSocketAddress.of(socket));
			Thread fake = new Thread(() -> {
				try (SocketChannel client = engine.accept()) {
					ByteBuffer buffer = ByteBuffer.allocate(4096);
					client.read(buffer);
					requests.add(new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).lines().findFirst().orElse(""));
					client.write(ByteBuffer.wrap("HTTP/1.0 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
				}
				catch (IOException ex) {
					requests.add("error " + ex.getMessage());
				}
			});
			fake.start();
			new DockerActuator(socket, "vigil-").restart("orders");
			fake.join(10_000);
		}
		assertThat(requests).containsExactly("POST /containers/vigil-orders/restart?t=10 HTTP/1.0");
	}

	@Test
	void dockerActuatorSaysWhenTheEngineIsNotThere() {
		DockerActuator actuator = new DockerActuator(dir.resolve("missing.sock"), "vigil-");
		assertThatThrownBy(() -> actuator.restart("orders")).isInstanceOf(ActuatorException.class)
			.hasMessageContaining("cannot reach the Docker Engine");
	}

}
