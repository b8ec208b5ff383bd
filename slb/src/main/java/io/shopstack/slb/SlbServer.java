package io.shopstack.slb;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.shopstack.common.admin.AdminServer;
import io.shopstack.common.admin.Health;
import io.shopstack.common.admin.Metrics;
import io.shopstack.common.server.ServerLifecycle;
import io.shopstack.common.server.Transport;
import io.shopstack.slb.backend.AdminState;
import io.shopstack.slb.backend.Backend;
import io.shopstack.slb.backend.BackendPool;
import io.shopstack.slb.health.BackendHealth;
import io.shopstack.slb.health.HealthChecker;
import io.shopstack.slb.operations.BackendChanges;
import io.shopstack.slb.operations.ConfigReload;
import io.shopstack.slb.operations.ListenerHandover;
import io.shopstack.slb.operations.RuntimeApi;
import io.shopstack.slb.operations.RuntimeSocket;
import io.shopstack.slb.proxy.FrontendLimit;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shop's L4 load balancer: holds the VIP of www.shop.example and splices every TCP connection
 * to one order-service instance, bytes untouched. Build it from an {@link SlbConfig}, {@link
 * #start()} it, {@link #close()} it. Each of its frontends (one unless {@code frontends} is
 * configured) has its own listen addresses and pool; they share the I/O threads.
 */
public final class SlbServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SlbServer.class);
  private static final Duration HANDOVER_TIMEOUT = Duration.ofSeconds(5);

  private final SlbConfig config;
  private final PrometheusMeterRegistry registry;
  // Running frontends: a reload may add and remove some (see Reloaded).
  private final List<Frontend> frontends;
  private final ServerLifecycle lifecycle;
  // Where a frontend added by a reload opens: set by open.
  private EventLoopGroup workers;
  private EventLoopGroup acceptor;
  private EventLoopGroup healthLoops;
  // Frontends a reload removed whose splices may still run, by name: one added again under the
  // same name takes its series over.
  private final Map<String, Frontend> retired = new ConcurrentHashMap<>();
  private AdminServer admin;
  private final List<RuntimeApi> runtimeApis = new ArrayList<>();
  private Supplier<SlbConfig> configSource;
  private Path listenersFrom;
  // Set on the starting thread, read by the JDK's signal thread and the admin port's.
  private volatile ConfigReload reload;

  public SlbServer(SlbConfig config) {
    this(config, Metrics.registry(config.instance()));
  }

  public SlbServer(SlbConfig config, PrometheusMeterRegistry registry) {
    this.config = config;
    this.registry = registry;
    this.frontends =
        new CopyOnWriteArrayList<>(config.frontends().stream().map(Frontend::new).toList());
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
   * Makes this SLB take the listening sockets of the one whose Unix runtime API is at {@code
   * socket} (HAProxy's {@code -x}) instead of binding its own beside them, so that stopping the old
   * one afterwards resets no client waiting to be accepted; set before {@link #start()}. Epoll
   * only.
   */
  public SlbServer takingListenersFrom(Path socket) {
    this.listenersFrom = socket;
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
    frontends.forEach(this::logListening);
    return this;
  }

  private void logListening(Frontend frontend) {
    FrontendConfig f = frontend.config();
    log.info(
        "{} {} listening on {} ({} transport{}), backends {}, balance {}, PROXY protocol {},"
            + " health check {}",
        config.instance(),
        frontend.name(),
        frontend.listenAddresses(),
        lifecycle.transport(),
        lifecycle.transport() == Transport.EPOLL
            ? ", SO_REUSEPORT x " + frontend.listeners().size() / frontend.listenAddresses().size()
            : Transport.unavailabilityCause() == null
                ? ", by configuration"
                : ", native epoll unavailable: " + Transport.unavailabilityCause(),
        frontend.backends().backends(),
        f.balance(),
        f.proxyProtocol(),
        f.healthCheck().type());
  }

  private void open(ServerLifecycle server) throws InterruptedException {
    boolean reusePort = server.transport() == Transport.EPOLL;
    int cores = Runtime.getRuntime().availableProcessors();
    // One I/O thread per core serves clients and their backend sides (HAProxy's nbthread), for
    // every frontend; the checks of every pool share one thread of their own.
    workers = server.eventLoops("io", reusePort ? cores : 0);
    healthLoops = server.eventLoops("health", 1);
    acceptor = reusePort ? null : server.eventLoops("accept", 1);
    InheritedListeners inherited = handedOver(server);
    List<InetSocketAddress> unclaimed;
    try {
      for (Frontend frontend : frontends) {
        frontend.open(server, workers, acceptor, healthLoops, registry, inherited, true);
      }
    } finally {
      // Also when a frontend fails to open: the claimed ones close with the lifecycle.
      unclaimed = inherited.closeUnclaimed();
    }
    if (!unclaimed.isEmpty()) {
      log.info(
          "{} closed {} handed-over listeners no frontend listens on: {}",
          config.instance(),
          unclaimed.size(),
          unclaimed);
    }
    if (configSource != null) {
      reload = new ConfigReload(configSource, config, new Reloaded());
    }
    admin =
        new AdminServer(
                config.instance(),
                config.adminAddress(),
                registry,
                this::health,
                BackendAdmin.actions(this::changes, reload),
                Map.of("/backends", new BackendsPage(frontends)))
            .start(server);
    for (RuntimeSocket socket : config.runtimeSockets()) {
      RuntimeApi api = new RuntimeApi(this::changes, reload, this::listeners, socket.level());
      runtimeApis.add(
          socket.tcp() != null
              ? api.start(server, socket.tcp())
              : api.start(server, socket.unix(), listenersFrom != null));
    }
  }

  /** Each running frontend's changes by its name, in order: what the runtime API acts on. */
  private Map<String, BackendChanges> changes() {
    Map<String, BackendChanges> changes = new LinkedHashMap<>();
    frontends.forEach(f -> changes.put(f.name(), f.changes()));
    return changes;
  }

  /** The frontends as a reload adds and removes them, on this SLB's threads and registry. */
  private final class Reloaded implements ConfigReload.RunningSlb {
    @Override
    public List<Frontend> running() {
      return List.copyOf(frontends);
    }

    @Override
    public int draining(String name) {
      Frontend before = retired.get(name);
      if (before == null) {
        return 0;
      }
      int open = before.traffic().active();
      if (open == 0) {
        // Its series may not have left yet (its last close is being handled): they go now, so
        // that a frontend of the same name registers its own.
        before.traffic().forget();
        retired.remove(name, before);
      }
      return open;
    }

    @Override
    public Frontend open(FrontendConfig added) throws InterruptedException {
      Frontend frontend = new Frontend(added);
      frontend.open(
          lifecycle, workers, acceptor, healthLoops, registry, InheritedListeners.none(), false);
      return frontend;
    }

    @Override
    public void add(Frontend frontend) {
      frontends.add(frontend);
      frontend.startAccepting();
      logListening(frontend);
    }

    @Override
    public void discard(Frontend frontend) {
      frontend.discard();
    }

    @Override
    public int retire(Frontend frontend) {
      frontends.remove(frontend);
      // Those whose last splice has ended since are let go.
      retired.values().removeIf(gone -> gone.traffic().active() == 0);
      retired.put(frontend.name(), frontend);
      int open = frontend.retire();
      log.info(
          "{} {} removed: no longer listening on {}, {} connections open finish",
          config.instance(),
          frontend.name(),
          frontend.config().listen(),
          open);
      return open;
    }

    @Override
    public void shutdownDeadline(Duration deadline) {
      lifecycle.shutdownDeadline(deadline);
    }
  }

  /** The sockets the replaced SLB hands over, or none when this one replaces nothing. */
  private InheritedListeners handedOver(ServerLifecycle server) throws InterruptedException {
    if (listenersFrom == null) {
      return InheritedListeners.none();
    }
    if (server.transport() != Transport.EPOLL) {
      throw new IllegalStateException(
          "taking listeners over needs native epoll; the SLB runs on " + server.transport());
    }
    InheritedListeners inherited =
        new InheritedListeners(ListenerHandover.take(listenersFrom, HANDOVER_TIMEOUT));
    log.info(
        "{} took {} listening sockets over from {}",
        config.instance(),
        inherited.size(),
        listenersFrom);
    return inherited;
  }

  private Health health() {
    StringBuilder detail = new StringBuilder();
    for (Frontend frontend : frontends) {
      if (!detail.isEmpty()) {
        detail.append("; ");
      }
      if (frontends.size() > 1) {
        detail.append(frontend.name()).append(' ');
      }
      List<Backend> backends = frontend.backends().backends();
      detail
          .append("listening on ")
          .append(frontend.listenAddresses())
          .append(", ")
          .append(backends.stream().filter(Backend::isUp).count())
          .append("/")
          .append(backends.size())
          .append(" backends up");
      for (BackendHealth backend : frontend.healthChecks().backends()) {
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
    }
    return new Health(true, detail.toString());
  }

  /** Its running frontends, in configuration order, then those reloads added. */
  public List<Frontend> frontends() {
    return List.copyOf(frontends);
  }

  /** The frontend of that name, or null. */
  public Frontend frontend(String name) {
    return frontends.stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
  }

  /** Every bound listen address, with the actual ports when port 0 was configured. */
  public List<InetSocketAddress> listenAddresses() {
    return frontends.stream().flatMap(f -> f.listenAddresses().stream()).toList();
  }

  /** The listening sockets (one per I/O thread and address with SO_REUSEPORT), for tests. */
  List<Channel> listeners() {
    return frontends.stream().flatMap(f -> f.listeners().stream()).toList();
  }

  /** Whether it still takes new clients: false once it has begun to stop. */
  public boolean accepting() {
    return listeners().stream().anyMatch(Channel::isOpen);
  }

  /** The transport this SLB runs on (epoll or NIO), as chosen at start. */
  public Transport transport() {
    return lifecycle.transport();
  }

  public int adminPort() {
    return admin.port();
  }

  /** Where the runtime API listens over TCP (its first such socket), or null when it does not. */
  public InetSocketAddress runtimeApiAddress() {
    List<InetSocketAddress> tcp = runtimeApiAddresses();
    return tcp.isEmpty() ? null : tcp.get(0);
  }

  /** Where each of the runtime API's TCP sockets listens, in the order configured. */
  public List<InetSocketAddress> runtimeApiAddresses() {
    return runtimeApis.stream().map(RuntimeApi::address).filter(Objects::nonNull).toList();
  }

  /** The first frontend's backends (the only frontend unless {@code frontends} is configured). */
  public BackendPool backends() {
    return frontends.get(0).backends();
  }

  /** The first frontend's checks: each backend's rise/fall count and state history. */
  public HealthChecker healthChecks() {
    return frontends.get(0).healthChecks();
  }

  /** The first frontend's maxconn, or null when it has none. */
  public FrontendLimit frontendLimit() {
    return frontends.get(0).limit();
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
