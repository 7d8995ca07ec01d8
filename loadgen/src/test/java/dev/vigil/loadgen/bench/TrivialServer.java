package dev.vigil.loadgen.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

/**
 * The cheapest HTTP/1.1 keep-alive endpoint we can write: one selector thread answers every request with a fixed
 * 200. It exists so the benchmark measures the generator, not the server. Prints its port, then serves forever.
 * Only bodiless requests (GET) are understood: a request ends at the blank line.
 */
public final class TrivialServer {

	private static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok")
			.getBytes(StandardCharsets.US_ASCII);

	public static void main(String[] args) throws IOException {
		int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
		try (Selector selector = Selector.open(); ServerSocketChannel server = ServerSocketChannel.open()) {
			server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 4096);
			server.configureBlocking(false);
			server.register(selector, SelectionKey.OP_ACCEPT);
			System.out.println(((InetSocketAddress) server.getLocalAddress()).getPort());
			System.out.flush();
			ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
			while (true) {
				selector.select();
				Iterator<SelectionKey> it = selector.selectedKeys().iterator();
				while (it.hasNext()) {
					SelectionKey key = it.next();
					it.remove();
					if (key.isAcceptable()) {
						SocketChannel c = server.accept();
						if (c != null) {
							c.configureBlocking(false);
							c.setOption(StandardSocketOptions.TCP_NODELAY, true);
							c.register(selector, SelectionKey.OP_READ, new int[1]);
						}
					}
					else if (key.isReadable()) {
						serve(key, in);
					}
				}
			}
		}
	}

	/** Counts request ends ("\r\n\r\n", possibly split across reads) and writes one response per request. */
	private static void serve(SelectionKey key, ByteBuffer in) throws IOException {
		SocketChannel c = (SocketChannel) key.channel();
		int[] state = (int[]) key.attachment(); // how many bytes of "\r\n\r\n" matched so far
		in.clear();
		int n;
		try {
			n = c.read(in);
		}
		catch (IOException e) {
			n = -1;
		}
		if (n < 0) {
			key.cancel();
			c.close();
			return;
		}
		int requests = 0;
		for (int i = 0; i < n; i++) {
			byte b = in.get(i);
			int s = state[0];
			if ((s == 0 || s == 2) && b == '\r' || (s == 1 || s == 3) && b == '\n') {
				state[0] = s + 1;
				if (state[0] == 4) {
					requests++;
					state[0] = 0;
				}
			}
			else {
				state[0] = b == '\r' ? 1 : 0;
			}
		}
		if (requests > 0) {
			ByteBuffer out = ByteBuffer.allocate(RESPONSE.length * requests);
			for (int i = 0; i < requests; i++) {
				out.put(RESPONSE);
			}
			out.flip();
			// Loopback with tiny responses: the socket buffer takes it; spin briefly in the rare case it doesn't.
			while (out.hasRemaining()) {
				c.write(out);
			}
		}
	}
}
