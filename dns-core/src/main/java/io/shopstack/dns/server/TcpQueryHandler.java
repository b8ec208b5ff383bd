package io.shopstack.dns.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DNS over TCP (RFC 7766): many length-prefixed queries per connection, each answered by the {@link
 * QueryFlow} as it is ready (pipelined, possibly out of order, which 7766 allows); the connection
 * closes when idle. {@link TcpFraming} in front cuts the stream into queries; this adds the
 * two-byte length to each answer.
 */
final class TcpQueryHandler extends SimpleChannelInboundHandler<ByteBuf> implements QueryFlow.Wire {
  private static final Logger log = LoggerFactory.getLogger(TcpQueryHandler.class);

  private final QueryFlow flow;

  TcpQueryHandler(QueryFlow flow) {
    this.flow = flow;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
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
  public void send(ChannelHandlerContext ctx, InetSocketAddress client, ByteBuf answer) {
    // RFC 1035 4.2.2: the two bytes the flow left free carry the message's length.
    answer.setShort(answer.readerIndex(), answer.readableBytes() - 2);
    ctx.write(answer);
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    ctx.flush();
  }

  @Override
  public void abandon(ChannelHandlerContext ctx) {
    ctx.close(); // framing can no longer be trusted
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      ctx.close();
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
