package dev.vigil.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.Test;

class NioTransportTest {

	private static NioTransport.Conn conn(boolean wantsBody, boolean head) {
		NioTransport.Conn c = new NioTransport.Conn(null, "k");
		NioTransport.Pending p = new NioTransport.Pending("h", 80, new byte[0], 0, wantsBody, head, true, null);
		c.pending = p;
		c.reset(p);
		return c;
	}

	/** Feeds the response one byte at a time: every state must survive a read boundary anywhere. */
	private static boolean feedBytewise(NioTransport.Conn c, String response) throws IOException {
		byte[] b = response.getBytes(StandardCharsets.ISO_8859_1);
		boolean done = false;
		for (int i = 0; i < b.length; i++) {
			done = c.feed(b, i, 1);
			if (done) {
				assertThat(i).as("complete exactly at the last byte").isEqualTo(b.length - 1);
			}
		}
		return done;
	}

	@Test
	void parsesContentLengthChunkedAndInterimResponsesAcrossReadBoundaries() throws IOException {
		NioTransport.Conn c = conn(true, false);
		assertThat(feedBytewise(c, "HTTP/1.1 201 Created\r\nContent-Length: 5\r\n\r\nhello")).isTrue();
		assertThat(c.status).isEqualTo(201);
		assertThat(c.keepAlive).isTrue();
		assertThat(c.body.toString(StandardCharsets.UTF_8)).isEqualTo("hello");

		c = conn(true, false);
		assertThat(feedBytewise(c, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
				+ "4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nX-Trailer: y\r\n\r\n")).isTrue();
		assertThat(c.status).isEqualTo(200);
		assertThat(c.body.toString(StandardCharsets.UTF_8)).isEqualTo("Wikipedia");

		c = conn(false, false);
		assertThat(feedBytewise(c, "HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\ncontent-length: 0\r\n\r\n"))
				.isTrue();
		assertThat(c.status).isEqualTo(503);
		assertThat(c.keepAlive).isFalse();

		c = conn(false, true); // HEAD: Content-Length describes a body that is not sent
		assertThat(feedBytewise(c, "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n")).isTrue();

		c = conn(true, false); // no length: the body runs until the server closes
		assertThat(c.feed("HTTP/1.0 200 OK\r\n\r\nabc".getBytes(StandardCharsets.ISO_8859_1), 0, 22)).isFalse();
		assertThat(c.mode).isEqualTo(NioTransport.Conn.UNTIL_CLOSE);
		assertThat(c.keepAlive).isFalse();
	}

	@Test
	void encodesMethodPathHostHeadersAndBody() {
		HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/api/orders?x=1"))
				.header("Authorization", "Bearer t")
				.POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}"))
				.build();
		String wire = new String(NioTransport.encode(r), StandardCharsets.ISO_8859_1);
		assertThat(wire).startsWith("POST /api/orders?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n")
				.contains("Authorization: Bearer t\r\n", "Content-Length: 7\r\n", "User-Agent: vigil-loadgen\r\n")
				.endsWith("\r\n\r\n{\"a\":1}");
	}

	/** End to end through the engine: chunked bodies reach the workload, POST bodies reach the server. */
	@Test
	void chunkedResponsesAndPostBodiesWorkEndToEnd() throws Exception {
		ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
		ConcurrentLinkedQueue<String> bodies = new ConcurrentLinkedQueue<>();
		try (TestServer server = new TestServer(2, exchange -> {
			received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
			exchange.sendResponseHeaders(200, 0); // 0 = chunked in the JDK server
			try (OutputStream out = exchange.getResponseBody()) {
				out.write("pong-".getBytes(StandardCharsets.UTF_8));
				out.flush();
				out.write("chunked".getBytes(StandardCharsets.UTF_8));
			}
		})) {
			Workload post = new Workload() {
				URI target;

				@Override
				public List<String> scenarios() {
					return List.of("post");
				}

				@Override
				public void prepare(Context context) {
					target = context.target();
				}

				@Override
				public Call next(long seq, long intendedNanoTime) {
					return new Call(0, HttpRequest.newBuilder(target)
							.POST(HttpRequest.BodyPublishers.ofString("ping-" + seq)).build(), true, null);
				}

				@Override
				public void onResponse(Call call, int status, String body) {
					bodies.add(body);
				}
			};
			LoadReport report = LoadRun.run(LoadConfig.builder()
					.target(server.uri("/echo"))
					.workload(post)
					.rate(50)
					.duration(Duration.ofMillis(400))
					.build());
			assertThat(report.overall().completed()).isEqualTo(20);
			assertThat(report.overall().errors()).isZero();
			assertThat(bodies).hasSize(20).containsOnly("pong-chunked");
			assertThat(received).hasSize(20).contains("ping-0", "ping-19");
		}
	}
}
