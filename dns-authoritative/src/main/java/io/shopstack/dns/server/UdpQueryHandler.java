package io.shopstack.dns.server;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One datagram in, at most one datagram out. Stateless, so one instance serves the socket. */
@Sharable
final class UdpQueryHandler extends SimpleChannelInboundHandler<DatagramPacket> {
  private static final Logger log = LoggerFactory.getLogger(UdpQueryHandler.class);

  private final QueryHandler handler;
  private final int maxUdpPayload;
  private final DnsServerMetrics metrics;

  UdpQueryHandler(QueryHandler handler, int maxUdpPayload, DnsServerMetrics metrics) {
    this.handler = handler;
    this.maxUdpPayload = maxUdpPayload;
    this.metrics = metrics;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    long start = System.nanoTime();
    byte[] wire = ByteBufUtil.getBytes(packet.content()); // packet is released by our superclass
    InetSocketAddress client = packet.sender();
    WireFormat.Parsed parsed = WireFormat.parse(wire);
    if (parsed.query() == null) {
      metrics.malformed();
      log.debug("malformed query from {}: {}", client, parsed.error());
      send(ctx, WireFormat.formErr(wire), client);
      return;
    }
    int limit = WireFormat.sizeLimit(parsed.query(), Transport.UDP, maxUdpPayload);
    handler
        .handle(parsed.query(), client, Transport.UDP)
        .whenComplete(
            (response, error) -> {
              if (error != null) {
                log.warn("query from {} failed: {}", client, error.toString());
                return;
              }
              if (response != null) {
                byte[] out = WireFormat.encode(response, limit);
                metrics.answered(response, out.length >= 12 && (out[2] & 0x02) != 0, start);
                send(ctx, out, client);
              }
            });
  }

  private static void send(ChannelHandlerContext ctx, byte[] out, InetSocketAddress client) {
    if (out != null) {
      ctx.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(out), client));
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A UDP socket must survive anything one client sends; log and keep serving.
    log.warn("udp error: {}", cause.toString());
  }
}
