package io.shopstack.edge.proxy;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: takes aggregated requests one at a time (pipelined ones wait their turn,
 * so responses leave in request order), rejects what cannot be parsed, hands the rest to the {@link
 * CachingProxy} and writes the answer. Reading pauses while a request waits for an origin, while
 * more than {@link #MAX_QUEUED} pipelined requests wait, or while the client is not reading what we
 * write, so a client cannot queue unbounded work. A hit answers without any of that: pausing and
 * resuming the socket cost two {@code epoll_ctl} calls per request, as many system calls as reading
 * and writing it.
 */
final class EdgeProxyHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(EdgeProxyHandler.class);

  /** Pipelined requests read ahead of their turn before reading pauses. */
  static final int MAX_QUEUED = 16;

  private static final ChannelFutureListener CLOSE_ON_FAILURE =
      ChannelFutureListener.CLOSE_ON_FAILURE;

  private final CachingProxy proxy;
  private final EdgeMetrics metrics;
  private final ArrayDeque<FullHttpRequest> queue = new ArrayDeque<>();
  private boolean busy;
  private boolean closing;
  private boolean paused;

  /** Inside a read batch: answers are written, and flushed once when the batch ends. */
  private boolean reading;

  private boolean unflushed;
  private String clientIp;

  EdgeProxyHandler(CachingProxy proxy, EdgeMetrics metrics) {
    this.proxy = proxy;
    this.metrics = metrics;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (closing || !(msg instanceof FullHttpRequest request)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    reading = true;
    queue.add(request);
    if (!busy) {
      next(ctx);
    } else if (queue.size() >= MAX_QUEUED) {
      pause(ctx);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    reading = false;
    flushIfNeeded(ctx);
    ctx.fireChannelReadComplete();
  }

  private void flushIfNeeded(ChannelHandlerContext ctx) {
    if (unflushed) {
      unflushed = false;
      ctx.flush();
    }
  }

  private void pause(ChannelHandlerContext ctx) {
    if (!paused) {
      paused = true;
      ctx.channel().config().setAutoRead(false);
    }
  }

  private void resume(ChannelHandlerContext ctx) {
    if (paused) {
      paused = false;
      ctx.channel().config().setAutoRead(true);
    }
  }

  private void next(ChannelHandlerContext ctx) {
    if (!ctx.channel().isActive()) {
      // Closed after the last response (the server is stopping): pipelined requests stay
      // unanswered, and channelInactive releases them.
      busy = false;
      return;
    }
    FullHttpRequest request = queue.poll();
    if (request == null) {
      busy = false;
      resume(ctx);
      return;
    }
    busy = true;
    CachingProxy.Reply rejection = reject(request);
    if (rejection != null) {
      deliver(ctx, request, rejection, true);
      return;
    }
    CompletableFuture<CachingProxy.Reply> answer;
    try {
      answer = proxy.handle(request, clientIp(ctx), ctx.channel().eventLoop());
    } catch (RuntimeException e) {
      deliver(ctx, request, internalError(request, e), true);
      return;
    }
    CachingProxy.Reply ready = answer.getNow(null);
    if (ready != null) {
      deliver(ctx, request, ready, false); // a hit or a synthetic answer: no hop, no pause
      return;
    }
    pause(ctx); // waiting for an origin: read no further until it answers
    answer.whenComplete(
        (reply, failure) ->
            ctx.executor()
                .execute(
                    () ->
                        deliver(
                            ctx,
                            request,
                            reply != null ? reply : internalError(request, failure),
                            false)));
  }

  /** A request that must not go further: unparseable, oversized, or without a Host. */
  private CachingProxy.Reply reject(FullHttpRequest request) {
    if (request.decoderResult().isFailure()) {
      Throwable cause = request.decoderResult().cause();
      HttpResponseStatus status =
          cause instanceof RequestAggregator.RequestTooLargeException
              ? HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE
              : cause instanceof TooLongHttpLineException
                  ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                  : cause instanceof TooLongHttpHeaderException
                      ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                      : HttpResponseStatus.BAD_REQUEST;
      String what = cause == null ? "unparseable request" : cause.getMessage();
      return proxy.synthetic(status, "malformed HTTP request: " + what, proxy.requestId(request));
    }
    if (request.protocolVersion().equals(HttpVersion.HTTP_1_1)
        && !request.headers().contains(HttpHeaderNames.HOST)) {
      return proxy.synthetic(
          HttpResponseStatus.BAD_REQUEST,
          "HTTP/1.1 request without a Host header",
          proxy.requestId(request));
    }
    if (request.headers().getAll(HttpHeaderNames.HOST).size() > 1) {
      // RFC 9112 3.2: two Hosts mean two parties read the request differently (smuggling).
      return proxy.synthetic(
          HttpResponseStatus.BAD_REQUEST, "more than one Host header", proxy.requestId(request));
    }
    return null;
  }

  private void deliver(
      ChannelHandlerContext ctx, FullHttpRequest request, CachingProxy.Reply reply, boolean close) {
    boolean keepAlive = !close && HttpUtil.isKeepAlive(request);
    HttpHeaders headers = reply.response().headers();
    if (reply.body() != null
        && !request.protocolVersion().equals(HttpVersion.HTTP_1_1)
        && headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
      // HTTP/1.0 has no chunked coding: an open-ended body ends with the connection.
      headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
      keepAlive = false;
    }
    boolean rejectedUpload =
        reply.response().status().equals(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
    HttpUtil.setKeepAlive(headers, HttpVersion.HTTP_1_1, keepAlive);
    metrics.request(reply.result(), reply.response().status().code());
    boolean head = HttpMethod.HEAD.equals(request.method());
    request.release();
    if (!ctx.channel().isActive()) {
      reply.discard();
      return;
    }
    if (keepAlive && reply.body() == null && reading && ctx.channel().isWritable()) {
      // Inside a read batch: the answer is flushed with the others when the batch ends (one
      // write for a pipelined batch), and the next request is taken at once.
      metrics.bodyBytes(reply.result(), reply.response().content().readableBytes());
      ctx.write(reply.response()).addListener(CLOSE_ON_FAILURE);
      unflushed = true;
      next(ctx);
      return;
    }
    flushIfNeeded(ctx);
    ChannelFuture written = write(ctx, reply, head, metrics);
    if (keepAlive) {
      written.addListener(
          f -> {
            if (f.isSuccess()) {
              next(ctx);
            } else {
              ctx.close();
            }
          });
    } else if (rejectedUpload) {
      closing = true; // what the client still uploads is read and dropped
      LingeringClose.after(written);
    } else {
      written.addListener(f -> ctx.close());
    }
  }

  /** The whole response, or its head and then its body as it arrives from the origin. */
  private static ChannelFuture write(
      ChannelHandlerContext ctx, CachingProxy.Reply reply, boolean head, EdgeMetrics metrics) {
    if (reply.body() == null) {
      metrics.bodyBytes(reply.result(), reply.response().content().readableBytes());
      return ctx.writeAndFlush(reply.response());
    }
    FullHttpResponse full = reply.response();
    ctx.write(new DefaultHttpResponse(full.protocolVersion(), full.status(), full.headers()));
    full.release();
    if (head) {
      reply.body().stream().leave(reply.body().reader());
      return ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }
    return BodyRelay.start(
        ctx.channel(),
        reply.body().stream(),
        reply.body().reader(),
        bytes -> metrics.bodyBytes(reply.result(), bytes));
  }

  private CachingProxy.Reply internalError(FullHttpRequest request, Throwable failure) {
    log.warn("{} {} failed", request.method(), request.uri(), failure);
    return proxy.synthetic(
        HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error", proxy.requestId(request));
  }

  /** Formatted once per connection, not per request. */
  private String clientIp(ChannelHandlerContext ctx) {
    if (clientIp == null) {
      clientIp =
          ctx.channel().remoteAddress() instanceof InetSocketAddress remote
              ? remote.getAddress().getHostAddress()
              : "unknown";
    }
    return clientIp;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof IdleStateEvent && !busy) {
      ctx.close();
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    queue.forEach(FullHttpRequest::release);
    queue.clear();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("client connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
