package dev.vigil.remediator.action;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Cluster mode on Docker (compose): restarts a container through the Docker Engine API on its unix socket. The JDK's
 * HttpClient cannot speak over a unix socket, and one POST does not justify a Docker client library, so this writes
 * the HTTP/1.0 request itself (HTTP/1.0: the engine closes the connection after the answer, no chunking to parse).
 */
public final class DockerActuator implements Actuator {

	private final Path socket;

	private final String containerPrefix;

	public DockerActuator(Path socket, String containerPrefix) {
		this.socket = socket;
		this.containerPrefix = containerPrefix;
	}

	@Override
	public String platform() {
		return "docker";
	}

	@Override
	public void restart(String target) {
		String container = containerPrefix + target;
		String status = post("/containers/" + container + "/restart?t=10");
		if (!status.contains(" 204") && !status.contains(" 200")) {
			throw new ActuatorException("docker restart " + container + " failed: " + status);
		}
	}

	@Override
	public void scale(String target, int replicas) {
		throw new UnsupportedOperationException("the Docker Engine API has no scaling; use docker compose up --scale");
	}

	@Override
	public void disableChaos(String target) {
		throw new UnsupportedOperationException("chaos faults are cleared through the service's chaos endpoint");
	}

	/** Returns the status line of the engine's answer. */
	private String post(String path) {
		try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
			String request = "POST " + path + " HTTP/1.0\r\nHost: docker\r\nContent-Length: 0\r\n\r\n";
			channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
			ByteArrayOutputStream answer = new ByteArrayOutputStream();
			ByteBuffer buffer = ByteBuffer.allocate(4096);
			while (channel.read(buffer) > 0) {
				answer.write(buffer.array(), 0, buffer.position());
				buffer.clear();
			}
			String text = answer.toString(StandardCharsets.UTF_8);
			int end = text.indexOf("\r\n");
			return end < 0 ? text : text.substring(0, end);
		}
		catch (IOException ex) {
			throw new ActuatorException("cannot reach the Docker Engine at " + socket + ": " + ex.getMessage(), ex);
		}
	}

}
