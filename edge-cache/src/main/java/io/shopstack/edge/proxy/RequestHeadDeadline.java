package io.shopstack.edge.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A deadline for a complete request head, counted from its first byte (nginx's {@code
 * client_header_timeout}, Apache's {@code RequestReadTimeout}): a client that sends headers one
 * byte every few seconds never trips the idle timeout, and without this holds a socket for as long
 * as it likes. Past the deadline it gets {@code 408} and the connection closes, lingering: the rest
 * of the trickle is read and dropped, so that it cannot reset the 408 away (LingeringClose).
 *
 * <p>The timer is lazy, as Netty's {@code IdleStateHandler} is: a head that completes only marks
 * itself done, and a timer that fires early (for a later head on the same keep-alive connection)
 * sets itself again for what that head has left. So a connection costs one timer per deadline
 * period, not a schedule and a cancel per request (which showed in the profile of hits).
 *
 * <p>Two handlers share the state: {@link #rawSide()} sits before the HTTP codec and starts the
 * clock on bytes that begin a request, {@link #messageSide()} sits after it and stops the clock
 * when the codec has the whole head.
 */
final class RequestHeadDeadline {
  private static final byte[] TIMEOUT =
      ("HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain; charset=utf-8\r\n"
              + "Content-Length: 41\r\nConnection: close\r\n\r\n"
              + "request head not complete within deadline")
          .getBytes(StandardCharsets.US_ASCII);

  private final long deadlineNanos;
  private ScheduledFuture<?> timer;
  private boolean inRequest;

  /** The 408 is out: whatever else arrives is dropped before the HTTP codec. */
  private boolean expired;

  /** When the head in progress began ({@link System#nanoTime()}), or -1 between heads. */
  private long headStarted = -1;

  RequestHeadDeadline(long deadlineMillis) {
    this.deadlineNanos = TimeUnit.MILLISECONDS.toNanos(deadlineMillis);
  }

  ChannelInboundHandlerAdapter rawSide() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (expired) {
          ReferenceCountUtil.release(msg);
          return;
        }
        if (msg instanceof ByteBuf bytes && bytes.isReadable() && !inRequest && headStarted < 0) {
          headStarted = System.nanoTime();
          if (timer == null) {
            schedule(ctx, deadlineNanos);
          }
        }
        ctx.fireChannelRead(msg);
      }

      @Override
      public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
      }
    };
  }

  ChannelInboundHandlerAdapter messageSide() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
          headStarted = -1; // the head is complete; a pending timer finds nothing to do
          inRequest = true;
        }
        if (msg instanceof LastHttpContent) {
          inRequest = false; // bytes from here on begin the next request
        }
        ctx.fireChannelRead(msg);
      }
    };
  }

  private void schedule(ChannelHandlerContext raw, long delayNanos) {
    timer = raw.executor().schedule(() -> expire(raw), delayNanos, TimeUnit.NANOSECONDS);
  }

  private void expire(ChannelHandlerContext raw) {
    timer = null;
    if (headStarted < 0 || !raw.channel().isActive()) {
      return; // no head in progress: the next one sets a timer again
    }
    long left = headStarted + deadlineNanos - System.nanoTime();
    if (left > 0) {
      schedule(raw, left); // a later head than the one this timer was set for
      return;
    }
    headStarted = -1;
    expired = true;
    LingeringClose.after(raw.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT)));
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
