package io.shopstack.edge.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A deadline for a complete request head, counted from its first byte (nginx's {@code
 * client_header_timeout}, Apache's {@code RequestReadTimeout}): a client that sends headers one
 * byte every few seconds never trips the idle timeout, and without this holds a socket for as long
 * as it likes. Past the deadline it gets {@code 408} and the connection closes.
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

  private final long deadlineMillis;
  private ScheduledFuture<?> timer;
  private boolean inRequest;

  RequestHeadDeadline(long deadlineMillis) {
    this.deadlineMillis = deadlineMillis;
  }

  ChannelInboundHandlerAdapter rawSide() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes && bytes.isReadable() && !inRequest && timer == null) {
          timer = ctx.executor().schedule(() -> expire(ctx), deadlineMillis, TimeUnit.MILLISECONDS);
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
          cancel();
          inRequest = true;
        }
        if (msg instanceof LastHttpContent) {
          inRequest = false; // bytes from here on begin the next request
        }
        ctx.fireChannelRead(msg);
      }
    };
  }

  private void expire(ChannelHandlerContext raw) {
    timer = null;
    if (raw.channel().isActive()) {
      raw.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT)).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
