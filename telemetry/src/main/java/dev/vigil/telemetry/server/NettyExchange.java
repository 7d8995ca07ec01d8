package dev.vigil.telemetry.server;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One aggregated Netty request presented as the JDK's {@link HttpExchange}, so the request handling written for the
 * JDK server runs unchanged. The response is buffered and written as one full response when the exchange (or its
 * body stream) is closed.
 */
final class NettyExchange extends HttpExchange {

	private final ChannelHandlerContext ctx;

	private final FullHttpRequest request;

	private final Headers requestHeaders = new Headers();

	private final Headers responseHeaders = new Headers();

	private final InputStream body;

	private final ByteArrayOutputStream responseBody = new ByteArrayOutputStream();

	private final Map<String, Object> attributes = new HashMap<>();

	private final URI uri;

	private int status = -1;

	private boolean finished;

	NettyExchange(ChannelHandlerContext ctx, FullHttpRequest request) {
		this.ctx = ctx;
		this.request = request;
		for (Map.Entry<String, String> header : request.headers()) {
			requestHeaders.add(header.getKey(), header.getValue());
		}
		this.body = new ByteBufInputStream(request.content());
		this.uri = URI.create(request.uri());
	}

	@Override
	public Headers getRequestHeaders() {
		return requestHeaders;
	}

	@Override
	public Headers getResponseHeaders() {
		return responseHeaders;
	}

	@Override
	public URI getRequestURI() {
		return uri;
	}

	@Override
	public String getRequestMethod() {
		return request.method().name();
	}

	@Override
	public HttpContext getHttpContext() {
		return null;
	}

	@Override
	public InputStream getRequestBody() {
		return body;
	}

	@Override
	public OutputStream getResponseBody() {
		return new OutputStream() {

			@Override
			public void write(int b) {
				responseBody.write(b);
			}

			@Override
			public void write(byte[] b, int off, int len) {
				responseBody.write(b, off, len);
			}

			@Override
			public void close() {
				NettyExchange.this.close();
			}

		};
	}

	@Override
	public void sendResponseHeaders(int code, long length) {
		status = code;
	}

	@Override
	public synchronized void close() {
		if (finished) {
			return;
		}
		finished = true;
		try {
			int code = status < 0 ? 500 : status;
			FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
					HttpResponseStatus.valueOf(code), Unpooled.wrappedBuffer(responseBody.toByteArray()));
			for (Map.Entry<String, List<String>> header : responseHeaders.entrySet()) {
				response.headers().set(header.getKey(), header.getValue());
			}
			// HEAD: the length of the body a GET would have had is unknown here, so none is announced
			HttpUtil.setContentLength(response, response.content().readableBytes());
			boolean keepAlive = HttpUtil.isKeepAlive(request);
			if (keepAlive) {
				response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
			}
			var written = ctx.writeAndFlush(response);
			if (!keepAlive) {
				written.addListener(ChannelFutureListener.CLOSE);
			}
		}
		finally {
			request.release();
		}
	}

	@Override
	public InetSocketAddress getRemoteAddress() {
		return (InetSocketAddress) ctx.channel().remoteAddress();
	}

	@Override
	public int getResponseCode() {
		return status;
	}

	@Override
	public InetSocketAddress getLocalAddress() {
		return (InetSocketAddress) ctx.channel().localAddress();
	}

	@Override
	public String getProtocol() {
		return request.protocolVersion().text();
	}

	@Override
	public Object getAttribute(String name) {
		return attributes.get(name);
	}

	@Override
	public void setAttribute(String name, Object value) {
		attributes.put(name, value);
	}

	@Override
	public void setStreams(InputStream in, OutputStream out) {
		throw new UnsupportedOperationException("filters are not supported");
	}

	@Override
	public HttpPrincipal getPrincipal() {
		return null;
	}

}
