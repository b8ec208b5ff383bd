package io.shopstack.dns.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts a DNS-over-TCP stream into queries at their two-byte lengths (RFC 1035 4.2.2), and gives
 * each query a deadline from its first byte: a client that trickles bytes keeps the idle timer from
 * ever firing, so without one a few slow clients could hold every connection slot for ever. BIND
 * allows 30 seconds for a query to arrive whole; the idle timeout only covers the silence between
 * queries.
 */
final class TcpFraming extends LengthFieldBasedFrameDecoder {
  private static final Logger log = LoggerFactory.getLogger(TcpFraming.class);

  private final long querySeconds;
  private final DnsServerMetrics metrics;
  private ScheduledFuture<?> deadline;

  TcpFraming(int querySeconds, DnsServerMetrics metrics) {
    super(65535 + 2, 0, 2, 0, 2);
    this.querySeconds = querySeconds;
    this.metrics = metrics;
  }

  @Override
  protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
    Object frame = super.decode(ctx, in);
    if (frame != null && deadline != null) {
      deadline.cancel(false); // that query arrived in time; the next one gets its own deadline
      deadline = null;
    }
    return frame;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    super.channelRead(ctx, msg);
    if (deadline == null && ctx.channel().isActive() && internalBuffer().isReadable()) {
      deadline = ctx.executor().schedule(() -> expire(ctx), querySeconds, TimeUnit.SECONDS);
    }
  }

  private void expire(ChannelHandlerContext ctx) {
    metrics.tcpQueryTimedOut();
    log.debug(
        "{} took over {} s to send one query: closing",
        ctx.channel().remoteAddress(),
        querySeconds);
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
    super.channelInactive(ctx);
  }
}
