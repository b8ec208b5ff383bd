package io.shopstack.slb.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.shopstack.slb.backend.Backend;
import io.shopstack.slb.backend.BackendQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The backend side of one spliced connection: relays what the order service answers. */
final class BackendHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(BackendHandler.class);

  private final Channel client;
  private final SpliceLog record;
  private final TrafficMetrics metrics;
  private final BackendQueue slots;
  private Splice.Relay relay;
  // Set once connected: the backend whose slot in slots this splice holds until it closes.
  private Backend backend;
  private boolean closed;

  BackendHandler(Channel client, SpliceLog record, TrafficMetrics metrics, BackendQueue slots) {
    this.client = client;
    this.record = record;
    this.metrics = metrics;
    this.slots = slots;
  }

  /**
   * Connected to {@code backend}: its slot is given back when this side closes (at its inactive
   * event, which comes after the connect's listener; a listener notified late, past Netty's
   * listener depth, gives it back at once if the side has closed meanwhile).
   */
  void spliced(Backend backend) {
    if (closed) {
      slots.release(backend);
      return;
    }
    this.backend = backend;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    relay = new Splice.Relay(ctx.channel());
    ctx.read();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object chunk) {
    int size = Splice.size(chunk);
    metrics.toClient(size);
    record.toClient(size);
    Splice.forward(client, chunk, relay);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof ChannelInputShutdownEvent) {
      Splice.endOfStream(ctx.channel(), client);
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closed = true;
    if (backend != null) {
      slots.release(backend);
    }
    Splice.closeOnFlush(client);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("backend {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    record.end("SD");
    Splice.closeOnFlush(ctx.channel());
  }
}
