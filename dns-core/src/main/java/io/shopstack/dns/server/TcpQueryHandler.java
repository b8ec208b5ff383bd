package io.shopstack.dns.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.shopstack.common.server.ShutdownRequested;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DNS over TCP (RFC 7766): many length-prefixed queries per connection, each answered by the {@link
 * QueryFlow} as it is ready (pipelined, possibly out of order, which 7766 allows); the connection
 * closes when idle. {@link TcpFraming} in front cuts the stream into queries; this adds the
 * two-byte length to each answer.
 *
 * <p>When the server stops ({@link ShutdownRequested}), a connection with no query in progress is
 * closed at once and a busy one once its last answer is out; queries arriving meanwhile are not
 * started. RFC 7766 6.2.3 lets a server close whenever it must, and a client retries elsewhere.
 */
final class TcpQueryHandler extends SimpleChannelInboundHandler<ByteBuf> implements QueryFlow.Wire {
  private static final Logger log = LoggerFactory.getLogger(TcpQueryHandler.class);

  private final QueryFlow flow;
  private int inProgress; // queries handed to the flow and not yet answered; on the event loop
  private boolean stopping;

  TcpQueryHandler(QueryFlow flow) {
    this.flow = flow;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
    if (stopping) {
      return; // the connection closes after the answers in progress
    }
    inProgress++;
    flow.answer(ctx, frame, (InetSocketAddress) ctx.channel().remoteAddress(), this);
  }

  @Override
  public Transport transport() {
    return Transport.TCP;
  }

  @Override
  public int headroom() {
    return 2;
  }

  @Override
  public ChannelFuture send(ChannelHandlerContext ctx, InetSocketAddress client, ByteBuf answer) {
    // RFC 1035 4.2.2: the two bytes the flow left free carry the message's length.
    answer.setShort(answer.readerIndex(), answer.readableBytes() - 2);
    return ctx.write(answer);
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    ctx.flush();
    // A resolver finishes queries on its own threads; the count belongs to the event loop.
    if (ctx.executor().inEventLoop()) {
      answered(ctx);
    } else {
      ctx.executor().execute(() -> answered(ctx));
    }
  }

  private void answered(ChannelHandlerContext ctx) {
    inProgress--;
    closeIfDrained(ctx);
  }

  private void closeIfDrained(ChannelHandlerContext ctx) {
    if (stopping && inProgress == 0 && ctx.channel().isOpen()) {
      // Behind the answers already written, so a close cannot drop one still in the socket buffer.
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void abandon(ChannelHandlerContext ctx) {
    ctx.close(); // framing can no longer be trusted
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      ctx.close();
    } else if (evt == ShutdownRequested.INSTANCE) {
      stopping = true;
      closeIfDrained(ctx);
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("tcp connection {} closed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
