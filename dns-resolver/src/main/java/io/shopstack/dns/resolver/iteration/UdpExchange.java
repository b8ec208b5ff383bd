package io.shopstack.dns.resolver.iteration;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;

/**
 * One query's own UDP socket, waiting for the one response that answers it. RFC 5452 9.1: only a
 * datagram from the server asked, with the query's ID and question, is the answer; anything else (a
 * forgery, a late answer to an earlier query, garbage) is dropped and counted, and the socket keeps
 * waiting, so a spoofer cannot make a query fail by getting in first (a resolver that gave up at
 * the first bad datagram would be that easy to silence). The socket is connected as well, so the
 * kernel already drops datagrams from any other address and port.
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
    Message response = answering(packet.sender(), packet.content());
    if (response == null) {
      unwanted.count();
      return;
    }
    answer.complete(response);
    ctx.close();
  }

  private Message answering(InetSocketAddress sender, ByteBuf content) {
    if (!server.equals(sender) || content.readableBytes() < 12) {
      return null;
    }
    if (content.getUnsignedShort(content.readerIndex()) != query.getHeader().getID()) {
      return null; // checked before parsing: a flood of forgeries costs no parsing
    }
    Message response;
    try {
      response = new Message(ByteBufUtil.getBytes(content));
    } catch (IOException malformed) {
      return null;
    }
    Record asked = query.getQuestion();
    Record question = response.getQuestion();
    boolean sameQuestion =
        question != null
            && question.getName().equals(asked.getName())
            && question.getType() == asked.getType()
            && question.getDClass() == asked.getDClass();
    return sameQuestion && response.getHeader().getFlag(Flags.QR) ? response : null;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // An ICMP port unreachable surfaces here: the server is not there, fail now, not at timeout.
    answer.completeExceptionally(cause);
    ctx.close();
  }
}
