package io.shopstack.slb.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a client that has not sent a single byte within the first-byte timeout of connecting, then
 * steps out of the pipeline at the first byte. Every accepted client holds a backend connection
 * (the splice is opened at once, for protocols where the server speaks first), so without this a
 * flood of connections that never speak would pin as many backend connections for the whole idle
 * timeout. The SLB's clients are HTTP clients: they speak first, at once.
 */
final class FirstByteTimeout extends ChannelInboundHandlerAdapter {
  private final long timeoutSeconds;
  private final TrafficMetrics metrics;
  private final SpliceLog record;
  private ScheduledFuture<?> timer;

  FirstByteTimeout(long timeoutSeconds, TrafficMetrics metrics, SpliceLog record) {
    this.timeoutSeconds = timeoutSeconds;
    this.metrics = metrics;
    this.record = record;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    timer =
        ctx.executor()
            .schedule(
                () -> {
                  if (ctx.channel().isActive()) {
                    metrics.firstByteTimedOut();
                    record.end("cR");
                    ctx.close(); // the frontend's channelInactive closes the backend side
                  }
                },
                timeoutSeconds,
                TimeUnit.SECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object chunk) {
    timer.cancel(false);
    ctx.pipeline().remove(this);
    ctx.fireChannelRead(chunk);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (timer != null) {
      timer.cancel(false);
    }
    ctx.fireChannelInactive();
  }
}
