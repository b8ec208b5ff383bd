package io.shopstack.slb;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.util.concurrent.EventExecutor;
import io.shopstack.common.admin.AdminServer;
import io.shopstack.common.admin.Health;
import io.shopstack.common.admin.Metrics;
import io.shopstack.common.server.ServerLifecycle;
import io.shopstack.common.server.Transport;
import io.shopstack.slb.backend.AdminState;
import io.shopstack.slb.backend.Backend;
import io.shopstack.slb.backend.BackendPool;
import io.shopstack.slb.backend.BalancingPolicies;
import io.shopstack.slb.health.BackendHealth;
import io.shopstack.slb.health.HealthChecker;
import io.shopstack.slb.operations.BackendChanges;
import io.shopstack.slb.operations.ConfigReload;
import io.shopstack.slb.operations.RuntimeApi;
import io.shopstack.slb.proxy.AcceptFailures;
import io.shopstack.slb.proxy.FrontendLimit;
import io.shopstack.slb.proxy.ProxyInitializer;
import io.shopstack.slb.proxy.TrafficMetrics;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shop's L4 load balancer: holds the VIP of www.shop.example and splices every TCP connection
 * to one order-service instance, bytes untouched. Build it from an {@link SlbConfig}, {@link
 * #start()} it, {@link #close()} it.
 */
public final class SlbServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SlbServer.class);

  private final SlbConfig config;
  private final PrometheusMeterRegistry registry;
  private final BackendPool pool;
  private final ServerLifecycle lifecycle;
  private final List<Channel> listeners = new CopyOnWriteArrayList<>();
  private AdminServer admin;
  private RuntimeApi runtimeApi;
  private Supplier<SlbConfig> configSource;
  // Set on the starting thread, read by the JDK's signal thread and the admin port's.
  private volatile ConfigReload reload;
  private HealthChecker healthChecker;
  private FrontendLimit frontendLimit;
  private final AcceptFailures acceptFailures =
      new AcceptFailures(() -> frontendLimit != null && frontendLimit.paused());

  public SlbServer(SlbConfig config) {
    this(config, Metrics.registry(config.instance()));
  }

  public SlbServer(SlbConfig config, PrometheusMeterRegistry registry) {
    this.config = config;
    this.registry = registry;
    this.pool = BackendPool.of(config.backendSpecs(), BalancingPolicies.of(config.balance()));
    this.lifecycle =
        new ServerLifecycle(config.instance(), config.shutdownDeadline(), config.ioTransport());
  }

  /**
   * Lets the running SLB read its configuration again (SIGHUP, {@code POST /reload}, the runtime
   * API's {@code reload}) from {@code source}; set before {@link #start()}.
   */
  public SlbServer reloadingFrom(Supplier<SlbConfig> source) {
    this.configSource = source;
    return this;
  }

  /**
   * Reads the configuration again and applies its backends (see {@link ConfigReload}); the answer
   * lists the changes.
   *
   * @throws IllegalArgumentException when the file does not load (nothing changes), or when there
   *     is no source to read
   */
  public String reload(String by) {
    ConfigReload now = reload;
    if (now == null) {
      throw new IllegalArgumentException(
          configSource == null
              ? "this SLB was not started from a file to reload"
              : "reload by "
                  + by
                  + " during start-up not applied: the file was read as the start"
                  + " began; send it again once the SLB is listening");
    }
    return now.reload(by);
  }

  /**
   * Binds every listen address, then the admin endpoint; returns once clients can connect. If one
   * cannot be bound, whatever was opened is closed again and the {@code ServerStartException} names
   * the address.
   */
  public SlbServer start() throws InterruptedException {
    lifecycle.start(this::open);
    log.info(
        "{} listening on {} ({} transport{}), backends {}, balance {}, PROXY protocol {},"
            + " health check {}",
        config.instance(),
        listenAddresses(),
        lifecycle.transport(),
        lifecycle.transport() == Transport.EPOLL
            ? ", SO_REUSEPORT x " + listeners.size() / listenAddresses().size()
            : Transport.unavailabilityCause() == null
                ? ", by configuration"
                : ", native epoll unavailable: " + Transport.unavailabilityCause(),
        pool.backends(),
        config.balance(),
        config.proxyProtocol(),
        config.healthCheck().type());
    return this;
  }

  private void open(ServerLifecycle server) throws InterruptedException {
    boolean reusePort = server.transport() == Transport.EPOLL;
    int cores = Runtime.getRuntime().availableProcessors();
    // One I/O thread per core serves clients and their backend sides (HAProxy's nbthread).
    EventLoopGroup workers = server.eventLoops("io", reusePort ? cores : 0);
    healthChecker =
        server.track(
            new HealthChecker(
                    config.healthCheck(),
                    pool,
                    server.eventLoops("health", 1),
                    server.transport().socketChannel())
                .start());
    ProxyInitializer splices =
        new ProxyInitializer(
            pool,
            new ProxyInitializer.Settings(
                config.connectTimeout(),
                config.queueTimeout(),
                config.idleTimeoutSeconds(),
                config.firstByteTimeoutSeconds(),
                config.proxyProtocolVersion(),
                config.accessLog()),
            healthChecker,
            new TrafficMetrics(registry, pool));
    if (config.maxConnections() > 0) {
      frontendLimit = new FrontendLimit(config.maxConnections());
      Gauge.builder("slb_frontend_paused", frontendLimit, l -> l.paused() ? 1 : 0)
          .description("1 while accepting is paused: maxConnections clients are being served")
          .register(registry);
    }
    EventLoopGroup acceptor = reusePort ? null : server.eventLoops("accept", 1);
    for (InetSocketAddress address : config.listenAddresses()) {
      if (!reusePort) {
        listeners.add(
            server.bind(
                "listener", listenerBootstrap(server, acceptor, workers, splices), address));
        continue;
      }
      // With SO_REUSEPORT, one listening socket per I/O thread, each accepting for its own thread:
      // the kernel spreads new connections over the sockets, and a client is served (and its
      // backend connected) on the thread that accepted it. A separate accepting thread cost a
      // wake-up of the serving thread per connection, the dearest part of a short connection.
      InetSocketAddress bound = address;
      for (EventExecutor executor : workers) {
        EventLoop loop = (EventLoop) executor;
        ServerBootstrap bootstrap =
            listenerBootstrap(server, loop, loop, splices)
                .option(EpollChannelOption.SO_REUSEPORT, true);
        Channel listener = server.bind("listener", bootstrap, bound);
        listeners.add(listener);
        // Port 0: the siblings join the port the first one was given.
        bound = (InetSocketAddress) listener.localAddress();
      }
    }
    BackendChanges changes = new BackendChanges(pool, healthChecker);
    if (configSource != null) {
      reload = new ConfigReload(configSource, config, pool, changes);
    }
    admin =
        new AdminServer(
                config.instance(),
                config.adminAddress(),
                registry,
                this::health,
                BackendAdmin.actions(pool, changes, reload))
            .start(server);
    if (config.runtimeApiAddress() != null) {
      runtimeApi = new RuntimeApi(changes, reload).start(server, config.runtimeApiAddress());
    }
  }

  /**
   * A listening socket's bootstrap: the lifecycle's connection tracking, what to do when accepting
   * fails, then the frontend's maxconn if there is one.
   */
  private ServerBootstrap listenerBootstrap(
      ServerLifecycle server,
      EventLoopGroup acceptor,
      EventLoopGroup workers,
      ProxyInitializer splices) {
    ServerBootstrap bootstrap =
        server
            .serverBootstrap(acceptor, workers)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childHandler(splices);
    ChannelHandler tracking = bootstrap.config().handler();
    FrontendLimit limit = frontendLimit;
    bootstrap.handler(
        new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel listener) {
            listener.pipeline().addLast(tracking, acceptFailures);
            if (limit != null) {
              listener.pipeline().addLast(limit);
            }
          }
        });
    return bootstrap;
  }

  private Health health() {
    long up = pool.backends().stream().filter(Backend::isUp).count();
    StringBuilder detail =
        new StringBuilder("listening on ")
            .append(listenAddresses())
            .append(", ")
            .append(up)
            .append("/")
            .append(pool.backends().size())
            .append(" backends up");
    for (BackendHealth backend : healthChecker.backends()) {
      detail
          .append("; ")
          .append(backend.backend().name())
          .append(' ')
          .append(backend.backend().state());
      if (backend.backend().adminState() != AdminState.READY) {
        detail.append(' ').append(backend.backend().adminState().label());
      }
      if (!backend.backend().isUp()) {
        detail.append(" (").append(backend.lastFailure()).append(')');
      }
    }
    return new Health(true, detail.toString());
  }

  /** The bound listen addresses, with the actual ports when port 0 was configured. */
  public List<InetSocketAddress> listenAddresses() {
    return listeners.stream().map(c -> (InetSocketAddress) c.localAddress()).distinct().toList();
  }

  /** The listening sockets (one per I/O thread with SO_REUSEPORT), for tests. */
  List<Channel> listeners() {
    return List.copyOf(listeners);
  }

  /** Whether it still takes new clients: false once it has begun to stop. */
  public boolean accepting() {
    return listeners.stream().anyMatch(Channel::isOpen);
  }

  /** The transport this SLB runs on (epoll or NIO), as chosen at start. */
  public Transport transport() {
    return lifecycle.transport();
  }

  public int adminPort() {
    return admin.port();
  }

  /** Where the runtime API listens, or null when it is not configured. */
  public InetSocketAddress runtimeApiAddress() {
    return runtimeApi == null ? null : runtimeApi.address();
  }

  /** The backends and their state; where a health checker will mark them up or down. */
  public BackendPool backends() {
    return pool;
  }

  /** The active checks of the pool: each backend's rise/fall count and state history. */
  public HealthChecker healthChecks() {
    return healthChecker;
  }

  /** The frontend's maxconn, or null when there is none. */
  public FrontendLimit frontendLimit() {
    return frontendLimit;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * Stops accepting, lets spliced connections run until the shutdown deadline, then stops. Safe to
   * call twice.
   */
  @Override
  public void close() {
    lifecycle.close();
  }
}
