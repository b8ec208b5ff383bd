package io.shopstack.slb.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.FastThreadLocal;
import io.shopstack.common.server.EpollSocketConfig;
import io.shopstack.common.server.Transport;
import io.shopstack.slb.backend.BackendPool;
import io.shopstack.slb.backend.ConnectObserver;
import java.time.Duration;

/** Sets up each accepted client connection as the front half of a splice to a backend. */
public final class ProxyInitializer extends ChannelInitializer<SocketChannel> {
  /** The timeouts and switches of the data path, as configured. */
  public record Settings(
      Duration connectTimeout,
      Duration queueTimeout,
      int idleTimeoutSeconds,
      int firstByteTimeoutSeconds,
      ProxyHeader proxyProtocol,
      boolean accessLog) {}

  private final BackendConnector connector;
  private final TrafficMetrics metrics;
  private final Settings settings;
  // Each event loop's sweep of its splices' timeouts, made by the loop's first client.
  private final FastThreadLocal<SpliceTimeouts> timeouts = new FastThreadLocal<>();

  public ProxyInitializer(
      BackendPool pool, Settings settings, ConnectObserver observer, TrafficMetrics metrics) {
    this.settings = settings;
    this.connector =
        new BackendConnector(
            pool,
            settings.connectTimeout(),
            settings.queueTimeout(),
            settings.proxyProtocol(),
            observer,
            metrics);
    this.metrics = metrics;
  }

  /**
   * The accepted clients' options, set before they are registered: auto-read off, so that the
   * splice reads only what the backend can take; on epoll, read interest from the accept on, since
   * FrontendHandler asks for the first read at once (one epoll_ctl per client instead of two).
   */
  public static ServerBootstrap clientOptions(ServerBootstrap bootstrap, Transport transport) {
    bootstrap.childOption(ChannelOption.AUTO_READ, false);
    if (transport == Transport.EPOLL) {
      bootstrap.childOption(EpollSocketConfig.READS_AT_ONCE, true);
    }
    return bootstrap;
  }

  @Override
  protected void initChannel(SocketChannel client) {
    // Keep a half-closed client open until the backend has answered. Auto-read is off from the
    // accept on (see clientOptions): reads follow the backend's writes (Splice.forward).
    client.config().setAllowHalfClosure(true);
    SpliceTimeouts loopTimeouts = timeouts.get();
    if (loopTimeouts == null) {
      loopTimeouts =
          new SpliceTimeouts(
              client.eventLoop(),
              settings.firstByteTimeoutSeconds(),
              settings.idleTimeoutSeconds(),
              metrics);
      timeouts.set(loopTimeouts);
    }
    client
        .pipeline()
        .addLast(new FrontendHandler(connector, metrics, loopTimeouts, settings.accessLog()));
  }
}
