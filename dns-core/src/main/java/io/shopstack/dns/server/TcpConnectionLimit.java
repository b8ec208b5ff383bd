package io.shopstack.dns.server;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 7766 6.2.2: a server should limit the TCP connections one client may hold open, so a single
 * client cannot use up every file descriptor. A connection over the limit is closed at once, before
 * it is read; the count is per client address and shared by all connections.
 */
@Sharable
final class TcpConnectionLimit extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(TcpConnectionLimit.class);

  private final int perClient;
  private final DnsServerMetrics metrics;
  private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();

  TcpConnectionLimit(int perClient, DnsServerMetrics metrics) {
    this.perClient = perClient;
    this.metrics = metrics;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    InetAddress client = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
    int now = open.merge(client, 1, Integer::sum);
    // Counted even when refused: channelInactive follows the close and takes it off again.
    if (now > perClient) {
      metrics.tcpRejected();
      log.debug("{} has {} TCP connections open, limit {}: closing", client, now, perClient);
      ctx.close();
      return;
    }
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    InetAddress client = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
    open.computeIfPresent(client, (c, count) -> count <= 1 ? null : count - 1);
    ctx.fireChannelInactive();
  }
}
