package io.shopstack.dns.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DNS over UDP: one datagram in, at most one datagram out, answered by the {@link QueryFlow}.
 * Answers made while reading are flushed once per read burst, so the socket sees one write batch
 * instead of a system call per answer. The prepared answers of one burst are written side by side
 * into one pooled buffer, each datagram a slice of it, instead of one buffer taken from the pool
 * and given back per answer; each goes out in an envelope used again ({@link AnswerDatagrams}). One
 * instance per UDP channel: the flag, the buffer and the envelopes belong to its event loop.
 */
final class UdpQueryHandler extends SimpleChannelInboundHandler<DatagramPacket>
    implements QueryFlow.Wire {
  private static final Logger log = LoggerFactory.getLogger(UdpQueryHandler.class);

  /** Room for the answers of one recvmmsg burst of small answers; a bigger one takes another. */
  static final int BURST_BUFFER_BYTES = 16 * 1024;

  private final QueryFlow flow;
  private boolean reading;
  private boolean flushPending;

  /** This burst's answers, or null; each answer sent holds a reference to it through its slice. */
  private ByteBuf burst;

  private AnswerDatagrams envelopes;

  UdpQueryHandler(QueryFlow flow) {
    this.flow = flow;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    envelopes = new AnswerDatagrams(ctx.executor());
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
    flow.answer(ctx, packet.content(), packet.sender(), this);
  }

  @Override
  public Transport transport() {
    return Transport.UDP;
  }

  @Override
  public int headroom() {
    return 0;
  }

  @Override
  public ByteBuf buffer(ChannelHandlerContext ctx, int bytes) {
    if (!reading || bytes > BURST_BUFFER_BYTES) {
      return ctx.alloc().ioBuffer(bytes); // answered outside a read burst: no burst to share
    }
    if (burst == null || burst.writableBytes() < bytes) {
      if (burst != null) {
        burst.release(); // the answers already sliced from it keep it alive until sent
      }
      burst = ctx.alloc().directBuffer(BURST_BUFFER_BYTES, BURST_BUFFER_BYTES);
    }
    ByteBuf answer = burst.retainedSlice(burst.writerIndex(), bytes);
    burst.writerIndex(burst.writerIndex() + bytes);
    return answer;
  }

  @Override
  public ChannelFuture send(ChannelHandlerContext ctx, InetSocketAddress client, ByteBuf answer) {
    // No promise per answer: nobody waits for it, and a failed send is logged by the channel.
    return ctx.write(envelopes.to(client, answer), ctx.voidPromise());
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    if (reading && ctx.executor().inEventLoop()) {
      flushPending = true; // flushed once the read burst is over
    } else {
      ctx.flush(); // answered later, outside a read burst
    }
  }

  @Override
  public void abandon(ChannelHandlerContext ctx) {
    // Nothing to answer and nothing to close: a UDP socket serves everyone else.
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (flushPending) {
      flushPending = false;
      ctx.flush();
    }
    releaseBurst();
    ctx.fireChannelReadComplete();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseBurst();
  }

  private void releaseBurst() {
    if (burst != null) {
      burst.release();
      burst = null;
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A UDP socket must survive anything one client sends; log and keep serving.
    log.warn("udp error: {}", cause.toString());
  }
}
