package dev.vigil.orders.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Forwards TCP connections from a fixed loopback port to another address. Lets a test give a client a bootstrap
 * address before anything listens there, then "start Kafka" at that address (the embedded KRaft broker itself can
 * only bind ephemeral ports). Kafka clients only bootstrap through it: the metadata they get back names the broker's
 * real address.
 */
public final class TcpForwarder implements AutoCloseable {

	private final ServerSocket server;

	public TcpForwarder(int port, String targetHost, int targetPort) {
		try {
			this.server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Thread acceptor = new Thread(() -> {
			while (!this.server.isClosed()) {
				try {
					Socket client = this.server.accept();
					Socket target = new Socket(targetHost, targetPort);
					pump(client.getInputStream(), target.getOutputStream(), client, target);
					pump(target.getInputStream(), client.getOutputStream(), client, target);
				}
				catch (IOException ex) {
					// closed, or the target refused: the client sees a dropped connection and retries
				}
			}
		}, "tcp-forwarder-" + port);
		acceptor.setDaemon(true);
		acceptor.start();
	}

	private static void pump(InputStream in, OutputStream out, Socket a, Socket b) {
		Thread pump = new Thread(() -> {
			try (a; b) {
				in.transferTo(out);
			}
			catch (IOException ex) {
				// connection ended
			}
		});
		pump.setDaemon(true);
		pump.start();
	}

	@Override
	public void close() {
		try {
			this.server.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
