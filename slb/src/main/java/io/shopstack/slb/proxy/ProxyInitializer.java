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

/**
 * Sets up each accepted client connection as the front half of a splice to a backend, with the
 * frontend's data-path settings of the moment it was accepted: a reload replaces them for the
 * clients accepted after it, and a client keeps the ones it came with to its end, as the
 * connections of HAProxy's old process keep the old configuration.
 */
public final class ProxyInitializer extends ChannelInitializer<SocketChannel> {
  /** The timeouts and switches of the data path, as configured. */
  public record Settings(
      Duration connectTimeout,
      Duration queueTimeout,
      int idleTimeoutSeconds,
      int firstByteTimeoutSeconds,
      ProxyHeader proxyProtocol,
      boolean accessLog) {}

  /** The settings and the connector made from them, replaced together. */
  record Route(Settings settings, BackendConnector connector) {}

  private final BackendPool pool;
  private final ConnectObserver observer;
  private final TrafficMetrics metrics;
  // Read once per accepted client.
  private volatile Route route;
  // Set when a reload removed the frontend: each loop's timeout sweep ends with its last splice.
  private volatile boolean retired;
  // Each event loop's sweep of its splices' timeouts, made by the loop's first client.
  private final FastThreadLocal<SpliceTimeouts> timeouts = new FastThreadLocal<>();

  public ProxyInitializer(
      BackendPool pool, Settings settings, ConnectObserver observer, TrafficMetrics metrics) {
    this.pool = pool;
    this.observer = observer;
    this.metrics = metrics;
    this.route = route(settings);
  }

  /** Sets up the clients accepted from now on with {@code next}; open splices keep theirs. */
  public void reconfigure(Settings next) {
    route = route(next);
  }

  /** Its frontend was removed: the timeout sweeps stop once the splices they watch have ended. */
  public void retire() {
    retired = true;
  }

  /** The settings new clients are set up with. */
  public Settings settings() {
    return route.settings();
  }

  private Route route(Settings settings) {
    return new Route(
        settings,
        new BackendConnector(
            pool,
            settings.connectTimeout(),
            settings.queueTimeout(),
            settings.proxyProtocol(),
            observer,
            metrics));
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
      // A removed frontend's sweep, once ended, leaves its loop's thread-local map too.
      loopTimeouts =
          new SpliceTimeouts(client.eventLoop(), metrics, () -> retired, timeouts::remove);
      timeouts.set(loopTimeouts);
    }
    client.pipeline().addLast(new FrontendHandler(route, metrics, loopTimeouts));
  }
}
