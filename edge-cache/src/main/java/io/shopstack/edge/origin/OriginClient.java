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
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.shopstack.common.server.Transport;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Fetches one response from an origin over a fresh HTTP/1.1 connection. The connection lives on the
 * event loop of the client connection that needs it, so a miss never crosses threads and never
 * blocks: connect, write and read are all callbacks on that loop.
 *
 * <p>One connection per fetch keeps the skeleton simple and obviously correct; a per-loop
 * keep-alive pool is the natural next step (Varnish keeps backend connections open).
 */
public final class OriginClient {
  private final int connectTimeoutMillis;
  private final int originTimeoutMillis;
  private final int maxResponseBytes;
  private final LongSupplier clock;

  public OriginClient(
      int connectTimeoutMillis, int originTimeoutMillis, int maxResponseBytes, LongSupplier clock) {
    this.connectTimeoutMillis = connectTimeoutMillis;
    this.originTimeoutMillis = originTimeoutMillis;
    this.maxResponseBytes = maxResponseBytes;
    this.clock = clock;
  }

  /**
   * Sends {@code request} to {@code origin} and completes with its full response, or with an {@link
   * OriginException}. Takes ownership of {@code request} (it is released either way). The future
   * completes on {@code loop}.
   */
  public CompletableFuture<OriginResponse> fetch(
      Origin origin, FullHttpRequest request, EventLoop loop) {
    CompletableFuture<OriginResponse> result = new CompletableFuture<>();
    long requestTime = clock.getAsLong();
    ChannelFuture connect =
        new Bootstrap()
            .group(loop)
            .channel(Transport.preferred().socketChannel())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new HttpClientCodec())
                        .addLast(new HttpObjectAggregator(maxResponseBytes))
                        .addLast(
                            new OriginResponseHandler(result, requestTime, clock, origin.name()));
                  }
                })
            .connect(origin.address());
    Channel channel = connect.channel();
    ScheduledFuture<?> deadline =
        loop.schedule(
            () -> {
              result.completeExceptionally(
                  new OriginException(
                      OriginException.Kind.TIMEOUT,
                      "origin " + origin + " did not answer within " + originTimeoutMillis + " ms",
                      null));
              channel.close();
            },
            originTimeoutMillis,
            TimeUnit.MILLISECONDS);
    result.whenComplete((r, e) -> deadline.cancel(false));
    connect.addListener(
        (ChannelFuture f) -> {
          if (f.isSuccess()) {
            f.channel()
                .writeAndFlush(request)
                .addListener(
                    (ChannelFuture w) -> {
                      if (!w.isSuccess()) {
                        result.completeExceptionally(
                            new OriginException(
                                OriginException.Kind.UNREACHABLE,
                                "cannot send to origin " + origin,
                                w.cause()));
                        w.channel().close();
                      }
                    });
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
    return result;
  }
}
