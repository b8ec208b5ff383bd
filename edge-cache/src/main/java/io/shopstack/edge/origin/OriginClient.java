package io.shopstack.edge.origin;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.shopstack.common.server.Transport;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Sends requests to origins over keep-alive connections ({@link OriginPool}) on the event loop of
 * the client connection that needs them, so a miss never crosses threads and never blocks: connect,
 * write and read are all callbacks on that loop.
 *
 * <p>{@link #open} completes as soon as the response head arrives, with the body still streaming
 * into an {@link OriginStream}; {@link #fetch} waits for the whole response. The origin timeout
 * covers connect, request and response head, and then each stretch of the body: a body that stops
 * arriving for that long fails, a slow but moving one does not.
 */
public final class OriginClient {
  /**
   * An origin's head up to 32 KiB (Varnish's {@code http_resp_size}); Netty's default 8 KiB turned
   * a page with a large {@code Content-Security-Policy} or several cookies into a 502.
   */
  static final HttpDecoderConfig RESPONSE_HEAD_LIMITS =
      new HttpDecoderConfig().setMaxHeaderSize(32 << 10);

  private final int connectTimeoutMillis;
  private final int originTimeoutMillis;
  private final int maxResponseBytes;
  private final LongSupplier clock;
  private final OriginPool pool;
  private final Transport transport;

  /**
   * @param transport that of the event loops the origin connections run on (they share the client
   *     connections' loops, so the channel type must match them)
   */
  public OriginClient(
      int connectTimeoutMillis,
      int originTimeoutMillis,
      int maxResponseBytes,
      LongSupplier clock,
      int maxIdlePerOrigin,
      long idleMillis,
      Transport transport) {
    this.transport = transport;
    this.connectTimeoutMillis = connectTimeoutMillis;
    this.originTimeoutMillis = originTimeoutMillis;
    this.maxResponseBytes = maxResponseBytes;
    this.clock = clock;
    this.pool = new OriginPool(maxIdlePerOrigin, idleMillis);
  }

  public OriginClient(
      int connectTimeoutMillis, int originTimeoutMillis, int maxResponseBytes, LongSupplier clock) {
    this(
        connectTimeoutMillis,
        originTimeoutMillis,
        maxResponseBytes,
        clock,
        16,
        15_000,
        Transport.preferred());
  }

  /**
   * Sends {@code request} and completes with the whole response (at most {@code maxResponseBytes}),
   * or with an {@link OriginException}. Takes ownership of {@code request}.
   */
  public CompletableFuture<OriginResponse> fetch(
      Origin origin, FullHttpRequest request, EventLoop loop) {
    return open(origin, request, loop).thenCompose(stream -> whole(stream, origin));
  }

  /** The whole of an opened response, at most {@code maxResponseBytes}. */
  public CompletableFuture<OriginResponse> whole(OriginStream stream, Origin origin) {
    return stream.aggregate(maxResponseBytes, origin.name());
  }

  /**
   * Sends {@code request} and completes with the response head and its body on the way, or with an
   * {@link OriginException}. Takes ownership of {@code request} (it is released either way). The
   * future completes on {@code loop}, before any of the body is read: what the caller does with the
   * stream in that callback (keep it whole, relay it) applies from the first byte.
   */
  public CompletableFuture<OriginStream> open(
      Origin origin, FullHttpRequest request, EventLoop loop) {
    CompletableFuture<OriginStream> result = new CompletableFuture<>();
    if (loop.inEventLoop()) {
      send(origin, request, loop, result, true);
    } else {
      loop.execute(() -> send(origin, request, loop, result, true));
    }
    return result;
  }

  private void send(
      Origin origin,
      FullHttpRequest request,
      EventLoop loop,
      CompletableFuture<OriginStream> result,
      boolean mayRetry) {
    // An idle connection may have been closed by the origin just now. A request that got no
    // response head on one is sent once more on a new connection if repeating it is harmless; one
    // that is not (POST, PUT, a body) never takes the risk and goes on a new connection.
    Channel idle = mayRetry && idempotent(request) ? pool.acquire(origin, loop) : null;
    if (idle != null) {
      boolean retry = true;
      if (retry) {
        request.retain();
      }
      CompletableFuture<OriginStream> attempt = new CompletableFuture<>();
      exchange(origin, idle, request, loop, attempt, true);
      attempt.whenComplete(
          (stream, failure) -> {
            if (failure == null) {
              if (retry) {
                request.release();
              }
              result.complete(stream);
            } else if (retry && failure instanceof OriginException e && e.retryable()) {
              send(origin, request, loop, result, false);
            } else {
              if (retry) {
                request.release();
              }
              result.completeExceptionally(failure);
            }
          });
      return;
    }
    ChannelFuture connect =
        new Bootstrap()
            .group(loop)
            .channel(transport.socketChannel())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new HttpClientCodec(RESPONSE_HEAD_LIMITS, false, false))
                        .addLast(new OriginResponseHandler(clock, pool, origin));
                  }
                })
            .connect(origin.address());
    connect.addListener(
        (ChannelFuture f) -> {
          if (f.isSuccess()) {
            exchange(origin, f.channel(), request, loop, result, false);
          } else {
            ReferenceCountUtil.release(request);
            boolean timedOut = f.cause() instanceof ConnectTimeoutException;
            result.completeExceptionally(
                new OriginException(
                    timedOut ? OriginException.Kind.TIMEOUT : OriginException.Kind.UNREACHABLE,
                    // The cause's own text names the address: it goes to the log, not the body.
                    "cannot connect to origin "
                        + origin
                        + " ("
                        + (timedOut ? "timed out" : "refused or unreachable")
                        + ")",
                    f.cause()));
          }
        });
  }

  /** One request and its response on an open connection. */
  private void exchange(
      Origin origin,
      Channel channel,
      FullHttpRequest request,
      EventLoop loop,
      CompletableFuture<OriginStream> result,
      boolean reused) {
    OriginResponseHandler handler = channel.pipeline().get(OriginResponseHandler.class);
    OriginResponseHandler.Exchange x =
        new OriginResponseHandler.Exchange(clock.getAsLong(), origin.name(), reused);
    handler.begin(x);
    x.head.whenComplete(
        (stream, failure) -> {
          if (failure == null) {
            result.complete(stream);
          } else if (reused && x.stream == null && failure instanceof OriginException e) {
            // No response head on a reused connection: it was dropped as we sent, or it carried
            // the excess of an earlier response whose Content-Length was too short (parsed here as
            // garbage). Neither says anything about this request; a GET may go again.
            result.completeExceptionally(e.asRetryable());
          } else {
            result.completeExceptionally(failure);
          }
        });
    ScheduledFuture<?> headDeadline =
        loop.schedule(
            () -> {
              if (handler.current() == x && x.stream == null) {
                handler.fail(
                    channel.pipeline().context(handler),
                    new OriginException(
                        OriginException.Kind.TIMEOUT,
                        "origin "
                            + origin
                            + " did not answer within "
                            + originTimeoutMillis
                            + " ms",
                        null));
              }
            },
            originTimeoutMillis,
            TimeUnit.MILLISECONDS);
    x.head.whenComplete(
        (stream, failure) -> {
          headDeadline.cancel(false);
          if (stream != null) {
            watchBody(origin, channel, handler, x, loop, -1);
          }
        });
    channel
        .writeAndFlush(request)
        .addListener(
            (ChannelFuture w) -> {
              if (!w.isSuccess() && handler.current() == x) {
                handler.fail(
                    channel.pipeline().context(handler),
                    new OriginException(
                        OriginException.Kind.UNREACHABLE,
                        "cannot send to origin " + origin,
                        w.cause()));
              }
            });
  }

  /** Fails a body that made no progress for a whole origin timeout (unless readers paused it). */
  private void watchBody(
      Origin origin,
      Channel channel,
      OriginResponseHandler handler,
      OriginResponseHandler.Exchange x,
      EventLoop loop,
      long lastProgress) {
    loop.schedule(
        () -> {
          if (handler.current() != x || x.stream.over()) {
            return;
          }
          if (x.progress == lastProgress && !x.stream.isPaused()) {
            handler.fail(
                channel.pipeline().context(handler),
                new OriginException(
                    OriginException.Kind.TIMEOUT,
                    "origin " + origin + " stopped sending for " + originTimeoutMillis + " ms",
                    null));
            return;
          }
          watchBody(origin, channel, handler, x, loop, x.progress);
        },
        originTimeoutMillis,
        TimeUnit.MILLISECONDS);
  }

  /** Safe to send twice, and without a body that the first attempt has already consumed. */
  private static boolean idempotent(FullHttpRequest request) {
    HttpMethod method = request.method();
    return (HttpMethod.GET.equals(method)
            || HttpMethod.HEAD.equals(method)
            || HttpMethod.OPTIONS.equals(method))
        && !request.content().isReadable();
  }
}
