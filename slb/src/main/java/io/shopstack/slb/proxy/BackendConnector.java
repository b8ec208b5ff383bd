package io.shopstack.slb.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.shopstack.slb.backend.Backend;
import io.shopstack.slb.backend.ConnectObserver;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the backend side of a client connection: tries the candidates in the balancing policy's
 * order, each at most once, moving on when a backend refuses or does not answer within the connect
 * timeout (HAProxy's {@code timeout connect} plus {@code option redispatch}).
 */
final class BackendConnector {
  private static final Logger log = LoggerFactory.getLogger(BackendConnector.class);

  private final Bootstrap template;
  private final TrafficMetrics metrics;
  private final ProxyProtocol proxyProtocol;
  private final ConnectObserver observer;

  BackendConnector(
      Duration connectTimeout,
      ProxyProtocol proxyProtocol,
      ConnectObserver observer,
      TrafficMetrics metrics) {
    this.metrics = metrics;
    this.proxyProtocol = proxyProtocol;
    this.observer = observer;
    this.template =
        new Bootstrap()
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(connectTimeout.toMillis()))
            // Both sides of a splice read only when the other side has taken the last chunk.
            .option(ChannelOption.AUTO_READ, false)
            .option(ChannelOption.ALLOW_HALF_CLOSURE, true);
  }

  /** Completes with a connected backend channel, or fails when every candidate failed. */
  Future<Channel> connect(Channel client, List<Backend> candidates) {
    Promise<Channel> connected = client.eventLoop().newPromise();
    attempt(client, candidates.iterator(), connected);
    return connected;
  }

  private void attempt(Channel client, Iterator<Backend> remaining, Promise<Channel> connected) {
    if (!client.isActive()) {
      connected.setFailure(new ConnectException("client left while connecting"));
      return;
    }
    if (!remaining.hasNext()) {
      connected.setFailure(new ConnectException("no backend reachable"));
      return;
    }
    Backend backend = remaining.next();
    // The client's own event loop: both channels of a splice live on one thread, so handing a
    // buffer from one to the other needs no locking and no task hop.
    template
        .clone(client.eventLoop())
        .channel(client.getClass())
        .handler(new BackendHandler(client, metrics))
        .connect(backend.address())
        .addListener(
            (ChannelFutureListener)
                attempt -> {
                  if (attempt.isSuccess()) {
                    spliced(backend, attempt.channel());
                    announceClient(client, attempt.channel());
                    connected.setSuccess(attempt.channel());
                  } else {
                    metrics.connectFailed(backend);
                    // Per connection at debug only: a dead backend would otherwise write one
                    // line per client; its state change is logged once, by its health.
                    log.debug(
                        "backend {} unreachable: {}", backend.name(), attempt.cause().toString());
                    observer.connectFailed(backend, String.valueOf(attempt.cause().getMessage()));
                    attempt(client, remaining, connected);
                  }
                });
  }

  /**
   * Writes the PROXY header, if the pool sends one. It is queued before the promise completes, and
   * the client is read only after that, on this same event loop: the header is always the first
   * thing the backend receives.
   */
  private void announceClient(Channel client, Channel backend) {
    ByteBuf header =
        proxyProtocol.header(
            backend.alloc(),
            (InetSocketAddress) client.remoteAddress(),
            (InetSocketAddress) client.localAddress());
    if (header != null) {
      backend.writeAndFlush(header);
    }
  }

  private void spliced(Backend backend, Channel channel) {
    observer.connected(backend);
    backend.connectionOpened();
    metrics.backendConnected(backend);
    channel.closeFuture().addListener(closed -> backend.connectionClosed());
  }
}
