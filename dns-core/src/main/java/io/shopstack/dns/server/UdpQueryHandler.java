package io.shopstack.dns.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One datagram in, at most one datagram out. A plain query with a prepared answer is answered from
 * the bytes in the packet's buffer (see {@link AnswerReplay}); everything else is parsed and handed
 * to the {@link QueryHandler}. Answers made while reading are flushed once per read burst, so the
 * socket sees one write batch instead of a system call per answer. One instance per UDP channel:
 * the pending-flush flag belongs to its event loop.
 */
final class UdpQueryHandler extends SimpleChannelInboundHandler<DatagramPacket> {
  private static final Logger log = LoggerFactory.getLogger(UdpQueryHandler.class);

  private final QueryHandler handler;
  private final AnswerReplay replay;
  private final int maxUdpPayload;
  private final DnsServerMetrics metrics;
  private boolean reading;
  private boolean flushPending;

  UdpQueryHandler(
      QueryHandler handler, AnswerReplay replay, int maxUdpPayload, DnsServerMetrics metrics) {
    this.handler = handler;
    this.replay = replay;
    this.maxUdpPayload = maxUdpPayload;
    this.metrics = metrics;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    reading = true;
    try {
      super.channelRead(ctx, msg); // releases the packet after channelRead0
    } finally {
      reading = false;
    }
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    long start = System.nanoTime();
    ByteBuf content = packet.content();
    InetSocketAddress client = packet.sender();
    PlainQuery plain = PlainQuery.read(content, Transport.UDP, maxUdpPayload);
    PreparedAnswers prepared = plain == null ? null : replay.current();
    if (prepared != null) {
      PreparedAnswers.Answer answer = prepared.find(plain.key);
      if (answer != null) {
        send(ctx, AnswerReplay.write(ctx.alloc(), answer, plain, content, false), client);
        metrics.replayed(answer, start);
        return;
      }
    }
    byte[] wire = ByteBufUtil.getBytes(content);
    WireFormat.Parsed parsed = WireFormat.parse(wire);
    if (parsed.query() == null) {
      metrics.malformed();
      log.debug("malformed query from {}: {}", client, parsed.error());
      byte[] formErr = WireFormat.formErr(wire);
      if (formErr != null) {
        send(ctx, Unpooled.wrappedBuffer(formErr), client);
      }
      return;
    }
    int limit = WireFormat.sizeLimit(parsed.query(), Transport.UDP, maxUdpPayload);
    WireFormat.guarded(() -> handler.handle(parsed.query(), client, Transport.UDP))
        .whenComplete(
            (response, error) -> {
              if (error != null) {
                log.warn("query from {} failed: {}", client, error.toString());
                byte[] servFail = WireFormat.encode(WireFormat.servFail(parsed.query()), limit);
                send(ctx, Unpooled.wrappedBuffer(servFail), client);
                return;
              }
              if (response != null) {
                byte[] out = WireFormat.encode(response, limit);
                metrics.answered(response, out.length >= 12 && (out[2] & 0x02) != 0, start);
                if (prepared != null) {
                  replay.keep(prepared, plain, response, out);
                }
                send(ctx, Unpooled.wrappedBuffer(out), client);
              }
            });
  }

  private void send(ChannelHandlerContext ctx, ByteBuf out, InetSocketAddress client) {
    DatagramPacket answer = new DatagramPacket(out, client);
    if (reading && ctx.executor().inEventLoop()) {
      ctx.write(answer);
      flushPending = true;
    } else {
      ctx.writeAndFlush(answer); // answered later, outside a read burst
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (flushPending) {
      flushPending = false;
      ctx.flush();
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A UDP socket must survive anything one client sends; log and keep serving.
    log.warn("udp error: {}", cause.toString());
  }
}
