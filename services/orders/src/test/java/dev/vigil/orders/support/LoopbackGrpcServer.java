package dev.vigil.orders.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;

/**
 * A real Netty gRPC server on 127.0.0.1, first on an ephemeral port, then restartable on the same port so that a
 * test can take a dependency down and bring it back.
 */
public class LoopbackGrpcServer implements AutoCloseable {

	private final BindableService service;

	private int port;

	private Server server;

	public LoopbackGrpcServer(BindableService service) {
		this.service = service;
		start();
	}

	public int port() {
		return this.port;
	}

	public String target() {
		return "static://127.0.0.1:" + this.port;
	}

	public final synchronized void start() {
		try {
			this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", this.port))
				.addService(this.service)
				.build()
				.start();
			this.port = this.server.getPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public synchronized void stop() {
		this.server.shutdownNow();
		try {
			this.server.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		stop();
	}

}
