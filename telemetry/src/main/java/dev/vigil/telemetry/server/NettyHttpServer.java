package dev.vigil.telemetry.server;

import com.sun.net.httpserver.HttpExchange;
import dev.vigil.telemetry.api.ApiResponse;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * The query API's HTTP/1.1 server: Netty decodes and aggregates requests (bounded by {@code maxRequestBytes}) and
 * hands them, as {@link HttpExchange}s, to the request handler on a bounded worker pool; WebSocket upgrades to a
 * mounted {@link WebSocketRoute} stay on the connection's I/O thread. One I/O thread suffices: it only parses and
 * writes, the work happens on the workers.
 */
final class NettyHttpServer implements AutoCloseable {

	private static final int WRITE_BUFFER_HIGH = 256 * 1024;

	private final EventLoopGroup group;

	private final Channel channel;

	NettyHttpServer(String host, int port, int maxRequestBytes, Executor workers, Consumer<HttpExchange> handler,
			Map<String, WebSocketRoute> sockets) throws IOException {
		group = new MultiThreadIoEventLoopGroup(1, runnable -> {
			Thread thread = new Thread(runnable, "http-io");
			thread.setDaemon(true);
			return thread;
		}, NioIoHandler.newFactory());
		ServerBootstrap bootstrap = new ServerBootstrap().group(group)
			.channel(NioServerSocketChannel.class)
			.option(ChannelOption.SO_BACKLOG, 128)
			.childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
					new WriteBufferWaterMark(WRITE_BUFFER_HIGH / 4, WRITE_BUFFER_HIGH))
			.childHandler(new ChannelInitializer<SocketChannel>() {

				@Override
				protected void initChannel(SocketChannel ch) {
					ch.pipeline()
						.addLast(new HttpServerCodec())
						.addLast(new HttpObjectAggregator(maxRequestBytes))
						.addLast(new Dispatcher(workers, handler, sockets));
				}

			});
		try {
			channel = bootstrap.bind(new InetSocketAddress(host, port)).sync().channel();
		}
		catch (InterruptedException e) {
			group.shutdownGracefully();
			Thread.currentThread().interrupt();
			throw new IOException("interrupted while binding " + host + ":" + port, e);
		}
		catch (RuntimeException e) {
			group.shutdownGracefully();
			throw new IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
		}
	}

	int port() {
		return ((InetSocketAddress) channel.localAddress()).getPort();
	}

	@Override
	public void close() {
		channel.close().awaitUninterruptibly();
		group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly();
	}

	private static final class Dispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {

		private final Executor workers;

		private final Consumer<HttpExchange> handler;

		private final Map<String, WebSocketRoute> sockets;

		Dispatcher(Executor workers, Consumer<HttpExchange> handler, Map<String, WebSocketRoute> sockets) {
			super(false); // the exchange releases the request once answered
			this.workers = workers;
			this.handler = handler;
			this.sockets = sockets;
		}

		@Override
		protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
			if (!request.decoderResult().isSuccess()) {
				request.release();
				respond(ctx, new ApiResponse(400, "{\"status\":\"error\",\"error\":\"malformed HTTP request\"}"), false);
				return;
			}
			String path = new QueryStringDecoder(request.uri()).path();
			if (request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
				for (Map.Entry<String, WebSocketRoute> route : sockets.entrySet()) {
					if (path.startsWith(route.getKey())) {
						try {
							upgrade(ctx, request, path, route.getValue());
						}
						finally {
							request.release();
						}
						return;
					}
				}
			}
			NettyExchange exchange = new NettyExchange(ctx, request);
			try {
				workers.execute(() -> {
					try {
						handler.accept(exchange);
					}
					finally {
						exchange.close();
					}
				});
			}
			catch (RejectedExecutionException e) { // shutting down
				request.release();
				respond(ctx, new ApiResponse(503, "{\"status\":\"error\",\"error\":\"shutting down\"}"), false);
			}
		}

		private static void upgrade(ChannelHandlerContext ctx, FullHttpRequest request, String path,
				WebSocketRoute route) {
			Map<String, List<String>> params = new LinkedHashMap<>(new QueryStringDecoder(request.uri()).parameters());
			WebSocketRoute.Upgrade upgrade;
			try {
				upgrade = route.upgrade(path, params);
			}
			catch (RuntimeException e) {
				upgrade = WebSocketRoute.Upgrade.refuse(new ApiResponse(500,
						"{\"status\":\"error\",\"error\":\"" + String.valueOf(e.getMessage()).replace("\"", "'") + "\"}"));
			}
			if (upgrade.refusal() != null) {
				respond(ctx, upgrade.refusal(), HttpUtil.isKeepAlive(request));
				return;
			}
			String location = "ws://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + path;
			WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(location, null, false)
				.newHandshaker(request);
			if (handshaker == null) {
				WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
				return;
			}
			WebSocketRoute.Listener listener = upgrade.listener();
			Channel channel = ctx.channel();
			ctx.pipeline().replace(ctx.handler(), "websocket", new FrameHandler(handshaker));
			handshaker.handshake(channel, request).addListener(done -> {
				if (done.isSuccess()) {
					channel.closeFuture().addListener(closed -> listener.closed());
					listener.opened(new Session(channel, handshaker));
				}
				else {
					channel.close();
				}
			});
		}

		private static void respond(ChannelHandlerContext ctx, ApiResponse answer, boolean keepAlive) {
			FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
					HttpResponseStatus.valueOf(answer.status()),
					Unpooled.copiedBuffer(answer.body(), StandardCharsets.UTF_8));
			response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
			HttpUtil.setContentLength(response, response.content().readableBytes());
			var written = ctx.writeAndFlush(response);
			if (!keepAlive) {
				written.addListener(ChannelFutureListener.CLOSE);
			}
		}

	}

	/** Frames from the client after the upgrade: close and ping are answered, anything else ignored. */
	private static final class FrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {

		private final WebSocketServerHandshaker handshaker;

		FrameHandler(WebSocketServerHandshaker handshaker) {
			this.handshaker = handshaker;
		}

		@Override
		protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
			if (frame instanceof CloseWebSocketFrame close) {
				handshaker.close(ctx.channel(), close.retainedDuplicate());
			}
			else if (frame instanceof PingWebSocketFrame) {
				ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
			}
		}

		@Override
		public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
			ctx.close();
		}

	}

	private record Session(Channel channel, WebSocketServerHandshaker handshaker) implements WebSocketSession {

		@Override
		public boolean writable() {
			return channel.isWritable();
		}

		@Override
		public boolean isOpen() {
			return channel.isActive();
		}

		@Override
		public void sendText(String text) {
			channel.writeAndFlush(new TextWebSocketFrame(text));
		}

		@Override
		public void close(int code, String reason) {
			handshaker.close(channel, new CloseWebSocketFrame(code, reason));
		}

	}

}
