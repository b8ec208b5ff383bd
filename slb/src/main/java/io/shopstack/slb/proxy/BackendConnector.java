package io.shopstack.slb.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.ReflectiveChannelFactory;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.socket.SocketChannelConfig;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.util.concurrent.Future;
import io.shopstack.slb.backend.Backend;
import io.shopstack.slb.backend.BackendPool;
import io.shopstack.slb.backend.BackendQueue;
import io.shopstack.slb.backend.ConnectObserver;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the backend side of a client connection: tries the backends in the balancing policy's
 * order, each at most once, moving on when one refuses or does not answer within the connect
 * timeout (HAProxy's {@code timeout connect} plus {@code option redispatch}). A backend at its
 * {@code maxconn} is passed over; when every one in rotation is, the client waits in the pool's
 * queue for a free slot, at most the queue timeout ({@code timeout queue}), then is closed. A
 * client hashed to its backend (Maglev) is not passed on: it waits in that backend's own queue.
 */
final class BackendConnector {
  private static final Logger log = LoggerFactory.getLogger(BackendConnector.class);

  private final int connectTimeoutMillis;
  // NIO: made from the first client's channel class (the transport's): a reflective factory looks
  // its constructor up once, not per connection.
  private volatile ChannelFactory<? extends Channel> channels;
  private final BackendPool pool;
  private final long queueTimeoutMillis;
  private final TrafficMetrics metrics;
  private final ProxyHeader proxyHeader;
  private final ConnectObserver observer;
  private final ResourceRefusals refusals = new ResourceRefusals();

  BackendConnector(
      BackendPool pool,
      Duration connectTimeout,
      Duration queueTimeout,
      ProxyHeader proxyHeader,
      ConnectObserver observer,
      TrafficMetrics metrics) {
    this.pool = pool;
    this.queueTimeoutMillis = queueTimeout.toMillis();
    this.metrics = metrics;
    this.proxyHeader = proxyHeader;
    this.observer = observer;
    this.connectTimeoutMillis = Math.toIntExact(connectTimeout.toMillis());
  }

  /**
   * How a client's way to a backend ended, told once, on the client's event loop: within {@link
   * #connect}'s call when the backend's connect completed within its own (nearly always, see {@link
   * BackendEpollChannel}). A callback, not a promise: nothing else waits for it, and a promise and
   * its listener were two objects and a notification more per connection.
   */
  interface Outcome {
    /** {@code backend} is connected (its PROXY header, if any, written and not flushed). */
    void connected(Channel backend);

    /** No backend is in rotation, every one failed, the queue timeout passed or the client left. */
    void failed(Throwable cause);
  }

  /** Starts connecting {@code client}'s backend side; {@code outcome} is told how it ended. */
  void connect(Channel client, SpliceLog record, Outcome outcome) {
    new Attempt(client, record, outcome).next();
  }

  /** One client's way to a backend: its failed backends, its place in the queue. */
  private final class Attempt implements BackendQueue.Waiter, ChannelFutureListener {
    private final Channel client;
    private final SpliceLog record;
    private final Outcome outcome;
    private boolean ended;
    // The backend being connected, whose slot this attempt holds, and its channel's handler.
    private Backend connecting;
    private BackendHandler handler;
    // Made at the first failure: nearly every client connects at the first try.
    private Set<Backend> failed;
    // The policy's order, asked once per client: asking again on a failover would advance a
    // round robin twice for one client.
    private final List<Backend> order;
    private Future<?> queueTimer;

    Attempt(Channel client, SpliceLog record, Outcome outcome) {
      this.client = client;
      this.record = record;
      this.outcome = outcome;
      this.order = pool.candidates(client.remoteAddress());
    }

    void next() {
      if (!client.isActive()) {
        record.end("CC");
        fail(new ConnectException("client left while connecting"));
        return;
      }
      // The first try takes the order as the policy gave it, a moment ago.
      List<Backend> candidates = failed == null ? order : remaining();
      if (candidates.isEmpty()) {
        record.end("SC");
        fail(
            new ConnectException(
                failed == null ? "no backend in rotation" : "no backend reachable"));
        return;
      }
      Backend backend = pool.queue().acquire(candidates, pinned());
      if (backend == null) {
        queue();
      } else {
        connectTo(backend);
      }
    }

    /** Its order, less the backends that failed it and those out of rotation by now. */
    private List<Backend> remaining() {
      List<Backend> remaining = new ArrayList<>(order.size());
      for (Backend backend : order) {
        if (backend.inRotation() && !failed.contains(backend)) {
          remaining.add(backend);
        }
      }
      return remaining;
    }

    /** Asked while queued: the rotation now, which may have gained a backend since it arrived. */
    @Override
    public List<Backend> candidates() {
      List<Backend> now = pool.candidates(client.remoteAddress());
      return failed == null ? now : now.stream().filter(b -> !failed.contains(b)).toList();
    }

    /**
     * A hashed client waits for its own backend, on its first try; once that backend has failed it,
     * any of the rest will do (HAProxy's redispatch).
     */
    @Override
    public boolean pinned() {
      return failed == null && pool.pinsClients();
    }

    private void queue() {
      metrics.queued();
      record.queued();
      queueTimer =
          client
              .eventLoop()
              .schedule(this::queueTimedOut, queueTimeoutMillis, TimeUnit.MILLISECONDS);
      client.closeFuture().addListener(closed -> leaveQueue());
      pool.queue().enqueue(this);
    }

    private void queueTimedOut() {
      if (pool.queue().remove(this)) {
        metrics.queueTimedOut();
        record.end("sQ");
        fail(new ConnectException("no backend slot within the queue timeout (maxconn reached)"));
      }
    }

    private void leaveQueue() {
      if (pool.queue().remove(this)) {
        queueTimer.cancel(false);
        record.end("CQ");
        fail(new ConnectException("client left while queued"));
      }
    }

    @Override
    public void granted(Backend backend) {
      client
          .eventLoop()
          .execute(
              () -> {
                queueTimer.cancel(false);
                if (client.isActive()) {
                  connectTo(backend);
                } else {
                  pool.queue().release(backend);
                  record.end("CQ");
                  fail(new ConnectException("client left while queued"));
                }
              });
    }

    /** Connects to {@code backend}, whose slot this attempt holds. */
    private void connectTo(Backend backend) {
      record.connecting();
      Channel channel;
      try {
        channel = newBackendChannel(client, backend.address());
      } catch (ChannelException noSocket) {
        // Out of file descriptors (or socket buffers): the SLB's own limit, not the backend's
        // fault, so its health is not charged; the client is refused and the reason logged.
        pool.queue().release(backend);
        record.end("RC");
        metrics.noSocket();
        refusals.refused(client, noSocket);
        fail(noSocket);
        return;
      }
      handler = new BackendHandler(client, record, metrics, pool.queue());
      channel.pipeline().addLast(handler);
      // The client's own event loop: both channels of a splice live on one thread, so handing a
      // buffer from one to the other needs no locking and no task hop. Registering from the loop
      // itself completes at once.
      ChannelFuture registered = client.eventLoop().register(channel);
      connecting = backend;
      (registered.isSuccess() ? channel.connect(backend.address()) : registered).addListener(this);
    }

    /** The backend's connect (or its registration) has ended. */
    @Override
    public void operationComplete(ChannelFuture attempt) {
      Backend backend = connecting;
      connecting = null;
      if (attempt.isSuccess()) {
        observer.connected(backend);
        metrics.backendConnected(backend);
        record.backend(backend);
        handler.spliced(backend);
        announceClient(client, attempt.channel(), record);
        if (!ended) {
          ended = true;
          outcome.connected(attempt.channel());
        } else {
          attempt.channel().close(); // no one to splice it to
        }
        return;
      }
      attempt.channel().close(); // as Bootstrap's CLOSE_ON_FAILURE would
      pool.queue().release(backend);
      metrics.connectFailed(backend);
      // Per connection at debug only: a dead backend would otherwise write one line per client;
      // its state change is logged once, by its health.
      log.debug("backend {} unreachable: {}", backend.name(), attempt.cause().toString());
      if (attempt.cause() instanceof ConnectTimeoutException) {
        observer.connectTimedOut(backend);
      } else {
        observer.connectFailed(backend, String.valueOf(attempt.cause().getMessage()));
      }
      if (failed == null) {
        failed = new HashSet<>(2);
      }
      failed.add(backend);
      next();
    }

    private void fail(Throwable cause) {
      if (!ended) {
        ended = true;
        outcome.failed(cause);
      }
    }
  }

  /**
   * A backend channel of the client's transport, set up as Netty's {@code Bootstrap} would, without
   * the bootstrap's per-connection copy of itself, option maps and address resolver: the address is
   * already resolved. On epoll the socket is of the backend's own address family: a dual-stack IPv6
   * socket for an IPv4 backend cost a {@code setsockopt(IPV6_V6ONLY)} per connection; and the
   * channel is our {@link BackendEpollChannel}, which reads no socket option Netty's would (two
   * {@code getsockopt} per connection fewer).
   */
  private Channel newBackendChannel(Channel client, InetSocketAddress backend) {
    Channel channel;
    if (client instanceof AbstractEpollStreamChannel) {
      channel =
          new BackendEpollChannel(
              backend.getAddress() instanceof Inet6Address
                  ? SocketProtocolFamily.INET6
                  : SocketProtocolFamily.INET);
    } else {
      ChannelFactory<? extends Channel> factory = channels;
      if (factory == null) {
        factory = new ReflectiveChannelFactory<>(client.getClass());
        channels = factory;
      }
      channel = factory.newChannel();
    }
    SocketChannelConfig config = (SocketChannelConfig) channel.config();
    config.setConnectTimeoutMillis(connectTimeoutMillis);
    // Both sides of a splice read only when the other side has taken the last chunk.
    config.setAutoRead(false);
    config.setAllowHalfClosure(true);
    return channel;
  }

  /**
   * Writes the PROXY header, if the pool sends one. It is queued before the promise completes, and
   * the client is read only after that, on this same event loop: the header is always the first
   * thing the backend receives. It is not flushed here: the client's side flushes it with the bytes
   * it has read meanwhile ({@link FrontendHandler#operationComplete}), in one write.
   */
  private void announceClient(Channel client, Channel backend, SpliceLog record) {
    if (proxyHeader.version() == ProxyProtocol.NONE) {
      return; // without asking the client channel for its addresses
    }
    String id = proxyHeader.nextUniqueId();
    record.id(id); // the access log's line names the ID the backend was given
    ByteBuf header =
        proxyHeader.header(
            backend.alloc(),
            (InetSocketAddress) client.remoteAddress(),
            (InetSocketAddress) client.localAddress(),
            id);
    if (header != null) {
      backend.write(header, backend.voidPromise());
    }
  }
}
