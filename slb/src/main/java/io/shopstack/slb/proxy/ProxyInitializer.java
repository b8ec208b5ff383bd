package io.shopstack.slb.proxy;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.shopstack.slb.backend.BackendPool;
import io.shopstack.slb.backend.ConnectObserver;
import java.time.Duration;

/** Sets up each accepted client connection as the front half of a splice to a backend. */
public final class ProxyInitializer extends ChannelInitializer<SocketChannel> {
  private final BackendPool pool;
  private final BackendConnector connector;
  private final TrafficMetrics metrics;
  private final int idleTimeoutSeconds;
  private final int firstByteTimeoutSeconds;

  public ProxyInitializer(
      BackendPool pool,
      Duration connectTimeout,
      int idleTimeoutSeconds,
      int firstByteTimeoutSeconds,
      ProxyProtocol proxyProtocol,
      ConnectObserver observer,
      TrafficMetrics metrics) {
    this.pool = pool;
    this.idleTimeoutSeconds = idleTimeoutSeconds;
    this.firstByteTimeoutSeconds = firstByteTimeoutSeconds;
    this.connector = new BackendConnector(connectTimeout, proxyProtocol, observer, metrics);
    this.metrics = metrics;
  }

  @Override
  protected void initChannel(SocketChannel client) {
    // Read from the client only when the backend can take it (see Splice.forward), and keep
    // a half-closed client open until the backend has answered.
    client.config().setAutoRead(false).setAllowHalfClosure(true);
    // Every byte of the splice crosses the client channel (read going up, written coming down),
    // so its all-idle event means the whole tunnel has been silent.
    client
        .pipeline()
        .addLast(new IdleStateHandler(0, 0, idleTimeoutSeconds))
        .addLast(new FirstByteTimeout(firstByteTimeoutSeconds, metrics))
        .addLast(new FrontendHandler(pool, connector, metrics));
  }
}
