package io.shopstack.common.server;

import io.netty.bootstrap.AbstractBootstrap;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ReflectiveChannelFactory;
import io.netty.channel.ServerChannel;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every Netty server of the stack starts and stops, written once. A server opens its event
 * loops, listening sockets and anything else it holds (the admin endpoint, executors, file
 * watchers) through this object inside {@link #start(Startup)}; if any step fails, whatever was
 * already open is closed before the failure reaches the caller, so a port in use never leaves
 * threads or sockets behind.
 *
 * <p>{@link #close()} stops the way HAProxy's soft-stop or nginx's {@code quit} do: it stops
 * accepting, tells every accepted connection that the server stops ({@link ShutdownRequested}),
 * waits for them to end until a deadline, cuts what is left, and only then ends the event loops and
 * the other resources. Connections are tracked through {@link #serverBootstrap}, which is why a
 * server takes its bootstraps from here and sets up its connections with {@code childHandler},
 * never {@code handler}.
 */
public final class ServerLifecycle implements AutoCloseable {
  /** Default time a stopping server gets to finish in-flight work (HAProxy: hard-stop-after). */
  public static final Duration DEFAULT_SHUTDOWN = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(ServerLifecycle.class);
  // Long enough for a response already being written to go out, short enough that tests and
  // restarts do not wait on it: work arriving meanwhile extends it, up to the deadline.
  private static final Duration QUIET_PERIOD = Duration.ofMillis(100);

  /** The steps that open a server; each opens its resources through the lifecycle it is given. */
  @FunctionalInterface
  public interface Startup {
    void open(ServerLifecycle server) throws InterruptedException;
  }

  private final String instance;
  // A service may change it while it runs (the SLB's reload); read once by close().
  private volatile Duration shutdownDeadline;
  private final Transport transport;
  private final EventLoops eventLoops;
  private final Listeners listeners;
  private final OpenConnections connections = new OpenConnections();
  private volatile DrainFigures lastDrain = DrainFigures.NONE;
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  public ServerLifecycle(String instance) {
    this(instance, DEFAULT_SHUTDOWN);
  }

  /**
   * @param instance prefix of every thread name, and the name in log lines and errors
   * @param shutdownDeadline how long {@link #close()} lets in-flight work run before it cuts it
   */
  public ServerLifecycle(String instance, Duration shutdownDeadline) {
    this(instance, shutdownDeadline, Transport.preferred());
  }

  /**
   * @param transport the I/O transport of every loop and socket of this server (see {@link
   *     Transport#nativeIfAvailable()})
   */
  public ServerLifecycle(String instance, Duration shutdownDeadline, Transport transport) {
    this.transport = transport;
    if (instance == null || instance.isBlank()) {
      throw new IllegalArgumentException("a server needs an instance name");
    }
    if (shutdownDeadline.isNegative()) {
      throw new IllegalArgumentException("shutdown deadline must not be negative");
    }
    this.instance = instance;
    this.shutdownDeadline = shutdownDeadline;
    this.eventLoops = new EventLoops(instance, transport);
    this.listeners = new Listeners(instance);
  }

  /**
   * Runs the opening steps. If one fails, everything opened so far is closed and the failure is
   * rethrown: a {@link ServerStartException} naming the address for a socket that could not be
   * bound, otherwise the step's own exception.
   */
  public void start(Startup steps) throws InterruptedException {
    if (closed.get() || !started.compareAndSet(false, true)) {
      throw new IllegalStateException(instance + ": a server starts once");
    }
    try {
      steps.open(this);
    } catch (InterruptedException | RuntimeException | Error e) {
      try {
        close();
      } catch (RuntimeException | Error cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  public String instance() {
    return instance;
  }

  public Transport transport() {
    return transport;
  }

  /** A new event loop group whose threads are named {@code <instance>-<purpose>-...}. */
  public EventLoopGroup eventLoops(String purpose, int threads) {
    return eventLoops.open(purpose, threads);
  }

  /**
   * A TCP server bootstrap on the lifecycle's transport, whose accepted connections the lifecycle
   * tracks so that {@link #close()} can drain them. Its {@code handler} is the tracking; replacing
   * it would leave the connections to be cut when the event loops end. Its listening socket takes
   * the clients waiting in the accept queue in batches ({@link AcceptBatch}), on epoll too.
   */
  public ServerBootstrap serverBootstrap(EventLoopGroup acceptors, EventLoopGroup workers) {
    return serverBootstrap(
        acceptors, workers, new ReflectiveChannelFactory<>(transport.serverChannel()));
  }

  /**
   * The same, with listening channels made by {@code listeners} instead of the transport's: a Unix
   * socket, or a socket another process handed over ({@link EpollListener#EpollListener(int)}).
   */
  public ServerBootstrap serverBootstrap(
      EventLoopGroup acceptors,
      EventLoopGroup workers,
      ChannelFactory<? extends ServerChannel> listeners) {
    return new ServerBootstrap()
        .group(acceptors, workers)
        .channelFactory(listeners)
        .option(ChannelOption.RCVBUF_ALLOCATOR, AcceptBatch.allocator())
        .handler(connections.acceptor());
  }

  /** A UDP bootstrap on the lifecycle's transport. */
  public Bootstrap datagramBootstrap(EventLoopGroup group) {
    return new Bootstrap().group(group).channel(transport.datagramChannel());
  }

  /**
   * Binds {@code bootstrap} on {@code address} and waits for it; the channel is closed first when
   * the server stops.
   *
   * @param purpose what the socket is for ("listener", "admin", "udp"), for the error message
   * @throws ServerStartException if the address cannot be bound
   */
  public Channel bind(String purpose, AbstractBootstrap<?, ?> bootstrap, SocketAddress address)
      throws InterruptedException {
    return listeners.bind(purpose, bootstrap, address);
  }

  /**
   * Registers {@code bootstrap}'s channel, a socket that is already bound and listening (an {@link
   * EpollListener} made from a descriptor another process passed over), and waits for it; it is
   * closed first when the server stops, like a bound one.
   *
   * @throws ServerStartException if it cannot be registered
   */
  public Channel register(String purpose, AbstractBootstrap<?, ?> bootstrap)
      throws InterruptedException {
    return listeners.register(purpose, bootstrap);
  }

  /**
   * Takes over a channel the server bound itself, for binds the caller must retry (a UDP and a TCP
   * socket that have to share one ephemeral port); it is closed first when the server stops.
   * Closing it earlier, to retry, is fine.
   */
  public Channel adopt(Channel channel) {
    return listeners.adopt(channel);
  }

  /** Closes {@code resource} when the server stops, after the event loops, latest first. */
  public <T extends AutoCloseable> T track(T resource) {
    synchronized (resources) {
      resources.push(resource);
    }
    return resource;
  }

  /** Forgets a tracked resource its owner has closed already (a part removed while running). */
  public void untrack(AutoCloseable resource) {
    synchronized (resources) {
      resources.remove(resource);
    }
  }

  /**
   * Stops the server: closes the listening sockets (no new clients); fires {@link
   * ShutdownRequested} at every accepted connection and waits until they have all closed or the
   * deadline has passed, then closes the rest by force; shuts the event loops down with what is
   * left of the deadline; then closes the other resources. Safe to call more than once.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    Duration deadline = shutdownDeadline;
    long begin = System.nanoTime();
    RuntimeException failure = null;
    try {
      listeners.close();
    } catch (RuntimeException e) {
      failure = e;
    }
    DrainFigures drain = connections.drain(deadline);
    lastDrain = drain;
    if (drain.cut() > 0) {
      log.warn(
          "{}: cut {} connections still open at the {} shutdown deadline",
          instance,
          drain.cut(),
          deadline);
    }
    // The loops still get their quiet period, so the last writes of a drained connection (and the
    // closes of cut ones) go out even when the drain used the whole deadline.
    Duration quiet = min(QUIET_PERIOD, deadline);
    Duration left = deadline.minusNanos(System.nanoTime() - begin);
    boolean inTime = eventLoops.shutDown(quiet, left.compareTo(quiet) < 0 ? quiet : left);
    while (true) {
      AutoCloseable resource;
      synchronized (resources) {
        resource = resources.poll();
      }
      if (resource == null) {
        break;
      }
      try {
        resource.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException(instance + ": could not close " + resource, e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    long millis = (System.nanoTime() - begin) / 1_000_000;
    if (inTime) {
      log.info("{} stopped in {} ms; drain: {}", instance, millis, drain);
    } else {
      log.warn(
          "{} stopped in {} ms; drain: {}; event loops outlived the {} deadline",
          instance,
          millis,
          drain,
          deadline);
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * How long a {@link #close()} from now on lets in-flight work run (a reloaded configuration's
   * value); a close already under way keeps the deadline it began with.
   */
  public void shutdownDeadline(Duration deadline) {
    if (deadline.isNegative()) {
      throw new IllegalArgumentException("shutdown deadline must not be negative");
    }
    this.shutdownDeadline = deadline;
  }

  /** What the drain of the last {@link #close()} came to (none before a close). */
  DrainFigures lastDrain() {
    return lastDrain;
  }

  /** Connections accepted and still open now. */
  int openConnections() {
    return connections.size();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
