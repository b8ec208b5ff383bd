package io.shopstack.slb;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.shopstack.common.server.ServerLifecycle;
import io.shopstack.slb.backend.BackendPool;
import io.shopstack.slb.backend.BalancingPolicies;
import io.shopstack.slb.health.HealthChecker;
import io.shopstack.slb.operations.BackendChanges;
import io.shopstack.slb.proxy.AcceptFailures;
import io.shopstack.slb.proxy.FrontendLimit;
import io.shopstack.slb.proxy.ProxyInitializer;
import io.shopstack.slb.proxy.TrafficMetrics;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One frontend of a running SLB (HAProxy's {@code listen} section): its listening sockets, the pool
 * they splice to, the pool's checks and counters, and its maxconn. Frontends share the I/O threads
 * and nothing else, so a pool's backends, balance and limits never leak into another's. A reload
 * may change any of its keys while it runs ({@link #reconfigure}).
 */
public final class Frontend {
  private volatile FrontendConfig config;
  private final BackendPool pool;
  private FrontendSockets sockets;
  private HealthChecker checks;
  private TrafficMetrics traffic;
  private BackendChanges changes;
  private ProxyInitializer splices;
  private volatile FrontendLimit limit;
  private final AtomicBoolean pausedGauge = new AtomicBoolean();
  private MeterRegistry registry;
  private ServerLifecycle server;
  private final AcceptFailures acceptFailures =
      new AcceptFailures(
          () -> {
            FrontendLimit now = limit;
            return now != null && now.paused();
          });

  Frontend(FrontendConfig config) {
    this.config = config;
    this.pool = BackendPool.of(config.backendSpecs(), BalancingPolicies.of(config.balance()));
  }

  /**
   * Starts the checks and binds every listen address (see {@link FrontendSockets}).
   *
   * @param acceptor the one accepting thread when there is no SO_REUSEPORT, else null
   * @param inherited sockets the SLB this one replaces handed over: its listen addresses' are taken
   *     over instead of bound anew
   * @param accepting false for a frontend a reload adds: it takes clients from {@link
   *     #startAccepting} on, once the reload cannot be refused any more
   */
  void open(
      ServerLifecycle server,
      EventLoopGroup workers,
      EventLoopGroup acceptor,
      EventLoopGroup healthLoops,
      MeterRegistry registry,
      InheritedListeners inherited,
      boolean accepting)
      throws InterruptedException {
    this.server = server;
    this.registry = registry;
    checks =
        server.track(
            new HealthChecker(
                    config.healthCheck(), pool, healthLoops, server.transport().socketChannel())
                .start());
    changes = new BackendChanges(config.name(), pool, checks);
    traffic = new TrafficMetrics(registry, config.name(), pool);
    splices = new ProxyInitializer(pool, settings(config), checks, traffic);
    limit = limitOf(config);
    sockets = new FrontendSockets(server, workers, acceptor, splices, acceptFailures, () -> limit);
    try {
      sockets.open(config.listenAddresses(), inherited, accepting);
    } catch (InterruptedException | RuntimeException failed) {
      stop();
      traffic.forget();
      throw failed;
    }
  }

  /** A frontend a reload added takes clients now (its sockets were bound not accepting). */
  void startAccepting() {
    sockets.startAccepting(sockets.listening());
  }

  /**
   * A reload removed it: its sockets close (no new clients), its checks stop, and the splices it
   * has open run until they end, its series leaving /metrics with the last. Returns how many were
   * open.
   */
  int retire() {
    stop();
    traffic.retire();
    return traffic.active();
  }

  /** A frontend a refused reload had opened: closed, and its series gone, at once. */
  void discard() {
    stop();
    traffic.forget();
  }

  private void stop() {
    if (sockets != null) {
      sockets.close();
    }
    checks.close();
    server.untrack(checks);
    splices.retire();
  }

  private static ProxyInitializer.Settings settings(FrontendConfig config) {
    return new ProxyInitializer.Settings(
        config.connectTimeout(),
        config.queueTimeout(),
        config.idleTimeoutSeconds(),
        config.firstByteTimeoutSeconds(),
        config.proxyHeader(),
        config.accessLog());
  }

  /** Its maxconn as configured, with the paused gauge on /metrics from the first one on. */
  private FrontendLimit limitOf(FrontendConfig config) {
    if (config.maxConnections() == 0) {
      return null;
    }
    if (pausedGauge.compareAndSet(false, true)) {
      traffic.own(
          Gauge.builder(
                  "slb_frontend_paused",
                  this,
                  f -> {
                    FrontendLimit now = f.limit;
                    return now != null && now.paused() ? 1 : 0;
                  })
              .tag("frontend", config.name())
              .description("1 while accepting is paused: maxConnections clients are being served")
              .register(registry));
    }
    return new FrontendLimit(config.maxConnections());
  }

  /**
   * The first step of a reload: binds the listen addresses of {@code next} this frontend does not
   * listen on yet, and changes nothing else. What it bound is applied by {@link #reconfigure}, or
   * closed again by {@link #unbind} when the reload is refused.
   *
   * @throws io.shopstack.common.server.ServerStartException when one cannot be bound; what this
   *     call bound is closed again
   */
  public List<FrontendSockets.Listening> bindAdded(FrontendConfig next)
      throws InterruptedException {
    return sockets.bindAdded(next.listenAddresses());
  }

  /** Closes what {@link #bindAdded} bound, when the reload it was for was refused. */
  public static void unbind(List<FrontendSockets.Listening> added) {
    FrontendSockets.unbind(added);
  }

  /**
   * Applies {@code next} to the running frontend (a reload's second step, after {@link
   * #bindAdded}): the listen addresses it no longer has are closed (their queued clients are reset,
   * as at a restart; those accepted are served to the end), and the clients accepted from now on
   * get the new balance, PROXY header, timeouts, access log and maxconn; the checks take the new
   * schedule at once. Established splices keep what they started with. The backends are compared by
   * {@link io.shopstack.slb.operations.ConfigReload}. Returns a line for each key that changed.
   */
  public List<String> reconfigure(FrontendConfig next, List<FrontendSockets.Listening> added) {
    FrontendConfig before = config;
    List<String> lines = new ArrayList<>();
    if (!added.isEmpty() || !before.listenAddresses().equals(next.listenAddresses())) {
      sockets.relisten(next.listenAddresses(), added);
      lines.add("listen " + before.listen() + " -> " + next.listen());
    }
    if (!before.balance().equals(next.balance())) {
      pool.balance(BalancingPolicies.of(next.balance()));
      lines.add("balance " + before.balance() + " -> " + next.balance());
    }
    if (!before.healthCheck().equals(next.healthCheck())) {
      checks.reconfigure(next.healthCheck());
      lines.add(
          "healthCheck " + before.healthCheck().summary() + " -> " + next.healthCheck().summary());
    }
    if (before.maxConnections().intValue() != next.maxConnections()) {
      FrontendLimit replacement = limitOf(next);
      sockets.replaceLimit(limit, replacement);
      // Only now: until each socket has its new limit, a socket backing off after a failed
      // accept (AcceptFailures) asks whether the limit it still has is paused.
      limit = replacement;
      lines.add("maxConnections " + before.maxConnections() + " -> " + next.maxConnections());
    }
    ProxyInitializer.Settings settings = settings(next);
    if (!settings.equals(splices.settings())) {
      splices.reconfigure(settings);
      changed(lines, "proxyProtocol", before.proxyProtocol(), next.proxyProtocol());
      changed(
          lines,
          "connectTimeoutMillis",
          before.connectTimeoutMillis(),
          next.connectTimeoutMillis());
      changed(lines, "idleTimeoutSeconds", before.idleTimeoutSeconds(), next.idleTimeoutSeconds());
      changed(
          lines,
          "firstByteTimeoutSeconds",
          before.firstByteTimeoutSeconds(),
          next.firstByteTimeoutSeconds());
      changed(lines, "queueTimeoutMillis", before.queueTimeoutMillis(), next.queueTimeoutMillis());
      changed(lines, "accessLog", before.accessLog(), next.accessLog());
    }
    config = next;
    return lines;
  }

  private static void changed(List<String> lines, String key, Object before, Object next) {
    if (!before.equals(next)) {
      lines.add(key + " " + before + " -> " + next);
    }
  }

  /**
   * Whether it listens now on {@code address}, or on a wildcard of its port, or on any address of
   * its port when it is the wildcard: a second socket there would share its clients.
   */
  public boolean listensOn(InetSocketAddress address) {
    return config.listenAddresses().stream().anyMatch(a -> ListenAddresses.overlap(a, address));
  }

  public String name() {
    return config.name();
  }

  /** The configuration it runs with now: as started, or as the last reload left it. */
  public FrontendConfig config() {
    return config;
  }

  /** The bound listen addresses, with the actual ports when port 0 was configured. */
  public List<InetSocketAddress> listenAddresses() {
    return listeners().stream().map(c -> (InetSocketAddress) c.localAddress()).distinct().toList();
  }

  /** Its listening sockets (one per I/O thread and address with SO_REUSEPORT). */
  List<Channel> listeners() {
    return sockets.all();
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
