package io.shopstack.dns.resolver.iteration;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.Message;

/**
 * One query's own UDP socket as a Netty channel (on native epoll loops; NIO loops take {@link
 * UpstreamDatagram}), waiting for the one response that answers it ({@link ReplyMatch}); anything
 * else is dropped and counted, and the socket keeps waiting, so a spoofer cannot make a query fail
 * by getting in first (a resolver that gave up at the first bad datagram would be that easy to
 * silence). The socket is connected as well, so the kernel already drops datagrams from any other
 * address and port.
 */
final class UdpExchange extends SimpleChannelInboundHandler<DatagramPacket> {
  private final Message query;
  private final InetSocketAddress server;
  private final CompletableFuture<Message> answer;
  private final UnwantedReplies unwanted;

  UdpExchange(
      Message query,
      InetSocketAddress server,
      CompletableFuture<Message> answer,
      UnwantedReplies unwanted) {
    this.query = query;
    this.server = server;
    this.answer = answer;
    this.unwanted = unwanted;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    Message response =
        ReplyMatch.answering(query, server, packet.sender(), packet.content().nioBuffer());
    if (response == null) {
      unwanted.count();
      return;
    }
    answer.complete(response);
    ctx.close();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // An ICMP port unreachable surfaces here: the server is not there, fail now, not at timeout.
    answer.completeExceptionally(cause);
    ctx.close();
  }
}
