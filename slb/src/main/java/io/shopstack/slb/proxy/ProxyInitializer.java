package io.shopstack.slb.proxy;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
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
      ProxyProtocol proxyProtocol,
      boolean accessLog) {}

  private final BackendConnector connector;
  private final TrafficMetrics metrics;
  private final Settings settings;

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

  @Override
  protected void initChannel(SocketChannel client) {
    // Read from the client only when the backend can take it (see Splice.forward), and keep
    // a half-closed client open until the backend has answered.
    client.config().setAutoRead(false).setAllowHalfClosure(true);
    SpliceLog record = new SpliceLog();
    // Every byte of the splice crosses the client channel (read going up, written coming down),
    // so its all-idle event means the whole tunnel has been silent.
    client
        .pipeline()
        .addLast(new IdleStateHandler(0, 0, settings.idleTimeoutSeconds()))
        .addLast(new FirstByteTimeout(settings.firstByteTimeoutSeconds(), metrics, record))
        .addLast(new FrontendHandler(connector, metrics, record, settings.accessLog()));
  }
}
