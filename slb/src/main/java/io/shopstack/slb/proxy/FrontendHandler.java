package io.shopstack.slb.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import io.shopstack.common.server.ShutdownRequested;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of one spliced connection: picks the backend when the client connects, then
 * relays what the client sends. The client is read at once: a request that comes while the backend
 * is being connected (or while the client waits in a backend's queue) is read then, as HAProxy
 * reads one into its buffer while it connects, and held here until the backend is there; so is a
 * client's end of stream (FIN with its request). At most {@link #EARLY_BYTES} are read ahead: past
 * that the client waits in the kernel until the backend takes what is held.
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter
    implements BackendConnector.Outcome {
  private static final Logger log = LoggerFactory.getLogger(FrontendHandler.class);

  /** Read ahead of the backend's connect, at most: one buffer of HAProxy's (tune.bufsize). */
  static final int EARLY_BYTES = 16 * 1024;

  private final ProxyInitializer.Route route;
  private final TrafficMetrics metrics;
  private final SpliceLog record = new SpliceLog();
  private final SpliceTimeouts timeouts;
  private final boolean accessLog;
  private SpliceTimeouts.Watch watch;
  private Channel backend;
  private Splice.Relay relay;
  private Channel client;
  // What the client sent before its backend was connected (made only for such clients).
  private ArrayDeque<Object> early;
  private int earlyBytes;
  private boolean clientFinishedEarly;

  FrontendHandler(ProxyInitializer.Route route, TrafficMetrics metrics, SpliceTimeouts timeouts) {
    this.route = route;
    this.metrics = metrics;
    this.timeouts = timeouts;
    this.accessLog = route.settings().accessLog();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    metrics.clientOpened();
    client = ctx.channel();
    if (accessLog) {
      client.localAddress(); // for the line written at the close, when the socket cannot tell
    }
    relay = new Splice.Relay(client);
    ProxyInitializer.Settings settings = route.settings();
    watch =
        timeouts.watch(
            client, record, settings.firstByteTimeoutSeconds(), settings.idleTimeoutSeconds());
    route.connector().connect(client, record, this);
    if (backend == null) { // not connected at once: read the request meanwhile
      ctx.read();
    }
  }

  /** The backend side is connected. */
  @Override
  public void connected(Channel connected) {
    if (!client.isActive()) {
      connected.close(); // the client left while we were connecting
      return;
    }
    backend = connected;
    if (early != null) {
      for (Object chunk; (chunk = early.poll()) != null; ) {
        backend.write(chunk, backend.voidPromise());
      }
    }
    // One flush for the PROXY header (written, not flushed, by the connector) and what the
    // client sent meanwhile: one write, one segment. With the client's FIN in too, the end of
    // stream flushes them, and the FIN leaves in their segment.
    if (clientFinishedEarly) {
      Splice.endOfStream(client, backend);
    } else {
      backend.flush();
      client.read();
    }
  }

  /** No backend could be connected. */
  @Override
  public void failed(Throwable cause) {
    if (client.isActive()) {
      metrics.noBackend();
      // Debug only: with every backend down or full this would be one line per client; the
      // backends' state changes are logged once each, and the access log has the client.
      log.debug("closing client {}: {}", client.remoteAddress(), cause.getMessage());
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
      earlyBytes += size;
      if (earlyBytes < EARLY_BYTES) {
        // Asking for the next read keeps the read interest: without it Netty takes the interest
        // out of the epoll set (one epoll_ctl) and the backend's connect puts it back (another).
        ctx.read();
      }
      return;
    }
    Splice.forward(backend, chunk, relay);
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
