package io.shopstack.dns.server;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RFC 7766 6.2.2: a server should limit the TCP connections one client may hold open, so a single
 * client cannot use up every file descriptor; and many clients together are held to an overall
 * limit (BIND's tcp-clients), so a crowd cannot either. A connection over either limit is closed at
 * once, before it is read. The counts are shared by all connections.
 */
@Sharable
final class TcpConnectionLimit extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(TcpConnectionLimit.class);

  private final int perClient;
  private final int total;
  private final DnsServerMetrics metrics;
  private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();
  private final AtomicInteger openTotal = new AtomicInteger();

  TcpConnectionLimit(int perClient, int total, DnsServerMetrics metrics) {
    this.perClient = perClient;
    this.total = total;
    this.metrics = metrics;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    InetAddress client = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
    // Counted even when refused: channelInactive follows the close and takes them off again.
    int all = openTotal.incrementAndGet();
    int now = open.merge(client, 1, Integer::sum);
    if (all > total) {
      metrics.tcpRejected(DnsServerMetrics.TcpRejection.TOTAL);
      log.debug("{} TCP connections open, limit {}: closing {}", all, total, client);
      ctx.close();
      return;
    }
    if (now > perClient) {
      metrics.tcpRejected(DnsServerMetrics.TcpRejection.PER_CLIENT);
      log.debug("{} has {} TCP connections open, limit {}: closing", client, now, perClient);
      ctx.close();
      return;
    }
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    InetAddress client = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
    openTotal.decrementAndGet();
    open.computeIfPresent(client, (c, count) -> count <= 1 ? null : count - 1);
    ctx.fireChannelInactive();
  }
}
