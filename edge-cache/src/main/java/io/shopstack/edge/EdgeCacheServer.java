package io.shopstack.edge;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.shopstack.common.admin.AdminAction;
import io.shopstack.common.admin.AdminServer;
import io.shopstack.common.admin.Health;
import io.shopstack.common.admin.Metrics;
import io.shopstack.common.server.ServerLifecycle;
import io.shopstack.edge.cache.DiskTier;
import io.shopstack.edge.cache.ResponseCache;
import io.shopstack.edge.origin.OriginRoutes;
import io.shopstack.edge.proxy.DiskMetrics;
import io.shopstack.edge.proxy.EdgeServerInitializer;
import io.shopstack.edge.rules.RuleFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cache instance: a CDN edge or the data-centre cache, depending on its config. Listens for
 * HTTP/1.1 on {@code bind:port} and serves {@code /health} and {@code /metrics} on {@code
 * bind:adminPort}. Origin connections share the client connections' event loops.
 */
public final class EdgeCacheServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EdgeCacheServer.class);

  /** The admin port's {@code POST} path that reloads the rule file. */
  public static final String RELOAD_RULES = "/rules/reload";

  private final EdgeCacheConfig config;
  private final Clock clock;
  private final OriginRoutes routes;
  private final RuleFile rules;
  private final ResponseCache cache;
  private final DiskTier disk;
  private final PrometheusMeterRegistry registry;
  private final ServerLifecycle lifecycle;
  private volatile Channel channel;
  private volatile AdminServer admin;

  public EdgeCacheServer(EdgeCacheConfig config) {
    this(config, Clock.systemUTC());
  }

  /** With a clock of the caller's choosing, so tests can let stored responses age. */
  public EdgeCacheServer(EdgeCacheConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.routes = config.originRoutes();
    this.rules = RuleFile.load(config.rules());
    this.cache =
        new ResponseCache(
            config.limits().maxEntries(),
            config.limits().maxCacheBytes(),
            config.graceSeconds() * 1000L);
    this.registry = Metrics.registry(config.instance());
    this.disk = openDisk(config.disk());
    if (disk != null) {
      cache.tier(disk);
      DiskMetrics.register(registry, disk);
    }
    this.lifecycle =
        new ServerLifecycle(config.instance(), config.shutdownDeadline(), config.ioTransport());
  }

  /**
   * Binds the HTTP port, then the admin port. If one cannot be bound, whatever was opened is closed
   * again and the {@code ServerStartException} names the address.
   */
  public EdgeCacheServer start() throws InterruptedException {
    lifecycle.start(this::open);
    log.info(
        "{} caching on http://{}:{} ({} transport) with routes {} and {} rules",
        config.instance(),
        config.bind(),
        port(),
        lifecycle.transport(),
        routes.routes(),
        rules.get().rules().size());
    return this;
  }

  private void open(ServerLifecycle server) throws InterruptedException {
    EventLoopGroup group = server.eventLoops("http", 0);
    channel =
        server.bind(
            "http listener",
            server
                .serverBootstrap(group, group)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childHandler(
                    new EdgeServerInitializer(
                        config.instance(),
                        routes,
                        config.limits(),
                        cache,
                        registry,
                        clock::millis,
                        config.graceSeconds() * 1000L,
                        config.invalidation(),
                        rules,
                        server.transport())),
            new InetSocketAddress(config.bind(), config.port()));
    admin =
        new AdminServer(
                config.instance(),
                new InetSocketAddress(config.bind(), config.adminPort()),
                registry,
                Health::healthy,
                Map.of(RELOAD_RULES, this::reloadRulesAction))
            .start(server);
  }

  /**
   * Reads the rule file again and uses it from the next request on, unless it is bad: then the
   * rules in use stay and the outcome says why. {@code POST /rules/reload} on the admin port and
   * {@code SIGHUP} to the process both come here.
   */
  public RuleFile.Outcome reloadRules() {
    RuleFile.Outcome outcome = rules.reload();
    registry
        .counter("edge.rules.reloads", "outcome", outcome.applied() ? "applied" : "refused")
        .increment();
    return outcome;
  }

  private AdminAction.Result reloadRulesAction() {
    RuleFile.Outcome outcome = reloadRules();
    return new AdminAction.Result(outcome.applied() ? 200 : 422, outcome.message() + "\n");
  }

  private static DiskTier openDisk(EdgeCacheConfig.Disk config) {
    if (!config.enabled()) {
      return null;
    }
    try {
      return DiskTier.open(Path.of(config.directory()), config.maxBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the disk tier " + config.directory(), e);
    }
  }

  /** The bound HTTP port (useful when the config asked for port 0). */
  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  public int adminPort() {
    return admin.port();
  }

  public String instance() {
    return config.instance();
  }

  public ResponseCache cache() {
    return cache;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Stops accepting, lets requests in flight finish until the shutdown deadline, then stops. */
  @Override
  public void close() {
    lifecycle.close();
    if (disk != null) {
      disk.close(); // the writes queued by the last requests reach the disk first
    }
  }
}
