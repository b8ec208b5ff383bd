package io.shopstack.dns.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;

/**
 * DNS over TCP (RFC 7766): many length-prefixed queries per connection, answered as each is ready
 * (pipelined, possibly out of order, which 7766 allows); the connection closes when idle. The
 * length framing is done by the decoder in front of this handler.
 */
final class TcpQueryHandler extends SimpleChannelInboundHandler<ByteBuf> {
  private static final Logger log = LoggerFactory.getLogger(TcpQueryHandler.class);

  private final QueryHandler handler;
  private final AnswerReplay replay;
  private final DnsServerMetrics metrics;

  TcpQueryHandler(QueryHandler handler, AnswerReplay replay, DnsServerMetrics metrics) {
    this.handler = handler;
    this.replay = replay;
    this.metrics = metrics;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
    long start = System.nanoTime();
    PlainQuery plain = PlainQuery.read(frame, Transport.TCP, 65535);
    PreparedAnswers prepared = plain == null ? null : replay.current();
    if (prepared != null) {
      PreparedAnswers.Answer answer = prepared.find(plain.key);
      if (answer != null) {
        ByteBuf out = AnswerReplay.write(ctx.alloc(), answer, plain, frame, true);
        metrics.replayed(answer, start);
        ctx.writeAndFlush(out);
        return;
      }
    }
    byte[] wire = ByteBufUtil.getBytes(frame);
    InetSocketAddress client = (InetSocketAddress) ctx.channel().remoteAddress();
    WireFormat.Parsed parsed = WireFormat.parse(wire);
    if (parsed.query() == null) {
      metrics.malformed();
      log.debug("malformed query from {} over tcp: {}", client, parsed.error());
      byte[] formErr = WireFormat.formErr(wire);
      if (formErr == null) {
        ctx.close(); // framing can no longer be trusted
      } else {
        send(ctx, formErr);
      }
      return;
    }
    WireFormat.guarded(() -> handler.handleOverTcp(parsed.query(), client))
        .whenComplete(
            (responses, error) -> {
              if (error != null) {
                log.warn("tcp query from {} failed: {}", client, error.toString());
                send(ctx, WireFormat.encode(WireFormat.servFail(parsed.query()), 65535));
                return;
              }
              sendAll(ctx, responses, start, prepared, plain);
            });
  }

  private void sendAll(
      ChannelHandlerContext ctx,
      List<Message> responses,
      long start,
      PreparedAnswers prepared,
      PlainQuery plain) {
    for (Message response : responses) {
      byte[] out = WireFormat.encode(response, 65535);
      if (prepared != null && responses.size() == 1) {
        replay.keep(prepared, plain, response, out);
      }
      ctx.write(frame(out));
    }
    ctx.flush();
    if (!responses.isEmpty()) {
      metrics.answered(responses.get(0), false, start);
    }
  }

  private static void send(ChannelHandlerContext ctx, byte[] out) {
    ctx.writeAndFlush(frame(out));
  }

  private static ByteBuf frame(byte[] out) {
    ByteBuf framed = Unpooled.buffer(out.length + 2);
    framed.writeShort(out.length).writeBytes(out);
    return framed;
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
