package io.shopstack.slb;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ReflectiveChannelFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollChannelOption;
import io.shopstack.common.server.EpollListener;
import io.shopstack.common.server.ServerLifecycle;
import io.shopstack.slb.backend.BackendPool;
import io.shopstack.slb.backend.BalancingPolicies;
import io.shopstack.slb.health.HealthChecker;
import io.shopstack.slb.operations.BackendChanges;
import io.shopstack.slb.proxy.AcceptFailures;
import io.shopstack.slb.proxy.FrontendLimit;
import io.shopstack.slb.proxy.ProxyInitializer;
import io.shopstack.slb.proxy.SpeculativeReads;
import io.shopstack.slb.proxy.TrafficMetrics;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One frontend of a running SLB (HAProxy's {@code listen} section): its listening sockets, the pool
 * they splice to, the pool's checks and counters, and its maxconn. Frontends share the I/O threads
 * and nothing else, so a pool's backends, balance and limits never leak into another's.
 */
public final class Frontend {
  private final FrontendConfig config;
  private final BackendPool pool;
  private final List<Channel> listeners = new CopyOnWriteArrayList<>();
  private HealthChecker checks;
  private TrafficMetrics traffic;
  private BackendChanges changes;
  private FrontendLimit limit;
  private final AcceptFailures acceptFailures =
      new AcceptFailures(() -> limit != null && limit.paused());

  Frontend(FrontendConfig config) {
    this.config = config;
    this.pool = BackendPool.of(config.backendSpecs(), BalancingPolicies.of(config.balance()));
  }

  /**
   * Starts the checks and binds every listen address: on epoll with SO_REUSEPORT, one socket per
   * I/O thread, each accepting for its own thread (the kernel spreads new connections over them,
   * and a client is served, its backend connected, on the thread that accepted it: a separate
   * accepting thread cost a wake-up of the serving thread per connection, the dearest part of a
   * short one).
   *
   * @param acceptor the one accepting thread when there is no SO_REUSEPORT, else null
   * @param inherited sockets the SLB this one replaces handed over: its listen addresses' are taken
   *     over instead of bound anew
   */
  void open(
      ServerLifecycle server,
      EventLoopGroup workers,
      EventLoopGroup acceptor,
      EventLoopGroup healthLoops,
      MeterRegistry registry,
      InheritedListeners inherited)
      throws InterruptedException {
    ProxyInitializer.Settings settings =
        new ProxyInitializer.Settings(
            config.connectTimeout(),
            config.queueTimeout(),
            config.idleTimeoutSeconds(),
            config.firstByteTimeoutSeconds(),
            config.proxyHeader(),
            config.accessLog());
    checks =
        server.track(
            new HealthChecker(
                    config.healthCheck(), pool, healthLoops, server.transport().socketChannel())
                .start());
    changes = new BackendChanges(config.name(), pool, checks);
    traffic = new TrafficMetrics(registry, config.name(), pool);
    ProxyInitializer splices = new ProxyInitializer(pool, settings, checks, traffic);
    if (config.maxConnections() > 0) {
      limit = new FrontendLimit(config.maxConnections());
      Gauge.builder("slb_frontend_paused", limit, l -> l.paused() ? 1 : 0)
          .tag("frontend", config.name())
          .description("1 while accepting is paused: maxConnections clients are being served")
          .register(registry);
    }
    List<EventLoop> loops = new ArrayList<>();
    workers.forEach(executor -> loops.add((EventLoop) executor));
    for (InetSocketAddress address : config.listenAddresses()) {
      if (acceptor != null) {
        listeners.add(
            server.bind(
                "listener", listenerBootstrap(server, acceptor, workers, splices), address));
        continue;
      }
      InetSocketAddress bound = address;
      for (EventLoop loop : loops) {
        Integer handedOver = inherited.claim(address);
        Channel listener =
            handedOver != null
                ? takeOver(server, loop, splices, handedOver)
                : server.bind(
                    "listener",
                    listenerBootstrap(server, loop, loop, splices)
                        .option(EpollChannelOption.SO_REUSEPORT, true),
                    bound);
        listeners.add(listener);
        // Port 0: the siblings join the port the first one was given.
        bound = (InetSocketAddress) listener.localAddress();
      }
      // The replaced SLB had more threads than this one: each of its sockets keeps being served
      // (its queue would be lost when the old one closes), the threads taking them in turn.
      List<Integer> more = inherited.claimRest(address);
      for (int i = 0; i < more.size(); i++) {
        listeners.add(takeOver(server, loops.get(i % loops.size()), splices, more.get(i)));
      }
    }
  }

  /** Accepts on {@code loop} from a socket the replaced SLB handed over, bound already. */
  private Channel takeOver(
      ServerLifecycle server, EventLoop loop, ProxyInitializer splices, int listeningFd)
      throws InterruptedException {
    return server.register(
        "listener handed over",
        listenerBootstrap(server, loop, loop, splices, () -> new EpollListener(listeningFd)));
  }

  /**
   * A listening socket's bootstrap: the lifecycle's connection tracking, what to do when accepting
   * fails, then the frontend's maxconn if there is one, and reading a batch's clients at once when
   * it emptied the accept queue.
   */
  private ServerBootstrap listenerBootstrap(
      ServerLifecycle server,
      EventLoopGroup acceptor,
      EventLoopGroup workers,
      ProxyInitializer splices) {
    return listenerBootstrap(
        server,
        acceptor,
        workers,
        splices,
        new ReflectiveChannelFactory<>(server.transport().serverChannel()));
  }

  private ServerBootstrap listenerBootstrap(
      ServerLifecycle server,
      EventLoopGroup acceptor,
      EventLoopGroup workers,
      ProxyInitializer splices,
      ChannelFactory<? extends ServerChannel> channels) {
    ServerBootstrap bootstrap =
        ProxyInitializer.clientOptions(
            server
                .serverBootstrap(acceptor, workers, channels)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childHandler(splices),
            server.transport());
    ChannelHandler tracking = bootstrap.config().handler();
    FrontendLimit frontendLimit = limit;
    bootstrap.handler(
        new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel listener) {
            listener.pipeline().addLast(tracking, acceptFailures);
            if (frontendLimit != null) {
              listener.pipeline().addLast(frontendLimit);
            }
            listener.pipeline().addLast(new SpeculativeReads());
          }
        });
    return bootstrap;
  }

  public String name() {
    return config.name();
  }

  public FrontendConfig config() {
    return config;
  }

  /** The bound listen addresses, with the actual ports when port 0 was configured. */
  public List<InetSocketAddress> listenAddresses() {
    return listeners.stream().map(c -> (InetSocketAddress) c.localAddress()).distinct().toList();
  }

  /** Its listening sockets (one per I/O thread and address with SO_REUSEPORT). */
  List<Channel> listeners() {
    return List.copyOf(listeners);
  }

  /** Its backends and their state. */
  public BackendPool backends() {
    return pool;
  }

  /** The active checks of its pool: each backend's rise/fall count and state history. */
  public HealthChecker healthChecks() {
    return checks;
  }

  /** Its counters, also on /metrics. */
  public TrafficMetrics traffic() {
    return traffic;
  }

  /** What an operator may change in its pool; set once it is open. */
  public BackendChanges changes() {
    return changes;
  }

  /** Its maxconn, or null when it has none. */
  public FrontendLimit limit() {
    return limit;
  }
}
