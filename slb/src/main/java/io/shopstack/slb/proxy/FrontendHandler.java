package io.shopstack.slb.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.FutureListener;
import io.shopstack.common.server.ShutdownRequested;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of one spliced connection: picks the backend when the client connects, then
 * relays what the client sends. Nothing is asked of the client before the backend is connected, so
 * early bytes wait in the kernel, not in the SLB. One exception: on epoll, a client that sends and
 * half-closes at once (FIN with its request) is read by the transport regardless, to see the end of
 * stream; those few chunks and the end are held here and passed on once the backend is there.
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter
    implements FutureListener<Channel> {
  private static final Logger log = LoggerFactory.getLogger(FrontendHandler.class);

  private final BackendConnector connector;
  private final TrafficMetrics metrics;
  private final SpliceLog record = new SpliceLog();
  private final SpliceTimeouts timeouts;
  private final boolean accessLog;
  private SpliceTimeouts.Watch watch;
  private Channel backend;
  private Splice.ReadNext readNext;
  private Channel client;
  // Made only for the few clients that send and half-close before their backend is connected.
  private ArrayDeque<Object> early;
  private boolean clientFinishedEarly;

  FrontendHandler(
      BackendConnector connector,
      TrafficMetrics metrics,
      SpliceTimeouts timeouts,
      boolean accessLog) {
    this.connector = connector;
    this.metrics = metrics;
    this.timeouts = timeouts;
    this.accessLog = accessLog;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    metrics.clientOpened();
    client = ctx.channel();
    readNext = new Splice.ReadNext(client);
    watch = timeouts.watch(client, record);
    connector.connect(client, record).addListener(this);
  }

  /** The backend side is connected, or no backend could be. */
  @Override
  public void operationComplete(Future<Channel> connected) {
    if (connected.isSuccess() && client.isActive()) {
      backend = connected.getNow();
      if (early != null) {
        for (Object chunk; (chunk = early.poll()) != null; ) {
          backend.write(chunk, backend.voidPromise());
        }
        backend.flush();
      }
      if (clientFinishedEarly) {
        Splice.endOfStream(client, backend);
      } else {
        client.read();
      }
    } else if (connected.isSuccess()) {
      connected.getNow().close(); // the client left while we were connecting
    } else if (client.isActive()) {
      metrics.noBackend();
      // Debug only: with every backend down or full this would be one line per client; the
      // backends' state changes are logged once each, and the access log has the client.
      log.debug("closing client {}: {}", client.remoteAddress(), connected.cause().getMessage());
      client.close();
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object chunk) {
    int size = Splice.size(chunk);
    metrics.fromClient(size);
    record.fromClient(size);
    if (backend == null) {
      if (early == null) {
        early = new ArrayDeque<>(2);
      }
      early.add(chunk);
      return;
    }
    Splice.forward(backend, chunk, readNext);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof ChannelInputShutdownEvent && backend == null) {
      clientFinishedEarly = true;
    } else if (event instanceof ChannelInputShutdownEvent) {
      Splice.endOfStream(ctx.channel(), backend);
    } else if (event == ShutdownRequested.INSTANCE) {
      // A splice is a byte stream with no boundary the SLB could close at: like HAProxy's
      // soft-stop, it runs on until it ends by itself or the shutdown deadline cuts it.
      metrics.openAtStop();
    }
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    metrics.clientClosed();
    if (watch != null) {
      timeouts.unwatch(watch);
    }
    if (early != null) {
      early.forEach(ReferenceCountUtil::release);
      early.clear();
    }
    if (backend != null) {
      Splice.closeOnFlush(backend);
    }
    if (accessLog) {
      SpliceLog.ACCESS.info(record.line(ctx.channel()));
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("client {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    record.end(backend == null ? "CC" : "CD");
    Splice.closeOnFlush(ctx.channel());
  }
}
