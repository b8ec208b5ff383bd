package io.shopstack.dns.authoritative;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shopstack.common.admin.AdminAction;
import io.shopstack.common.admin.AdminServer;
import io.shopstack.common.admin.Health;
import io.shopstack.common.admin.Metrics;
import io.shopstack.common.server.ServerLifecycle;
import io.shopstack.dns.authoritative.answer.AuthoritativeHandler;
import io.shopstack.dns.authoritative.answer.DynamicRecords;
import io.shopstack.dns.authoritative.ratelimit.RateLimitedHandler;
import io.shopstack.dns.authoritative.ratelimit.ResponseRateLimiter;
import io.shopstack.dns.authoritative.reload.ZoneFileWatcher;
import io.shopstack.dns.authoritative.reload.ZoneReloader;
import io.shopstack.dns.authoritative.transfer.NotifySender;
import io.shopstack.dns.authoritative.transfer.TransferAcl;
import io.shopstack.dns.authoritative.transfer.ZoneTransfer;
import io.shopstack.dns.authoritative.zone.AuthoritativeZone;
import io.shopstack.dns.authoritative.zone.ZoneLoader;
import io.shopstack.dns.authoritative.zone.ZoneSet;
import io.shopstack.dns.authoritative.zone.ZoneSource;
import io.shopstack.dns.server.DnsServer;
import io.shopstack.dns.server.QueryHandler;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An authoritative DNS server as a library: zones are loaded and checked in the constructor (a bad
 * zone file stops the instance before it binds anything), {@link #start()} opens DNS on UDP+TCP and
 * the admin port. Later reloads ({@code POST /reload}, or an edited zone file) swap the zones while
 * serving. The GSLB reuses it by passing its {@link DynamicRecords}.
 */
public final class AuthoritativeServer implements AutoCloseable {
  private final AuthoritativeConfig config;
  private final PrometheusMeterRegistry registry;
  private final NotifySender notifier;
  private final ZoneReloader zones;
  private final DnsServer dns;
  private final ServerLifecycle lifecycle;
  private final Map<String, AdminAction> extraActions;
  private AdminServer admin;

  public AuthoritativeServer(AuthoritativeConfig config) {
    this(config, null, Metrics.registry(config.instance()));
  }

  /**
   * @param dynamic per-query records, or null
   * @param registry shared with whoever adds metrics of their own (the GSLB's answers by region)
   */
  public AuthoritativeServer(
      AuthoritativeConfig config, DynamicRecords dynamic, PrometheusMeterRegistry registry) {
    this(config, dynamic, registry, Map.of());
  }

  /**
   * @param extraActions admin {@code POST} actions of the embedding service (the GSLB's drain); one
   *     named {@code /reload} replaces the zone reload, so the service can reload its own data too
   *     (it calls {@link #reload()} for the zones)
   */
  public AuthoritativeServer(
      AuthoritativeConfig config,
      DynamicRecords dynamic,
      PrometheusMeterRegistry registry,
      Map<String, AdminAction> extraActions) {
    this.config = config;
    this.extraActions = Map.copyOf(extraActions);
    this.registry = registry;
    this.lifecycle =
        new ServerLifecycle(config.instance(), config.shutdownDeadline(), config.ioTransport());
    // Tracked from the start: a reload may queue a NOTIFY before the server is started, or after a
    // failed start.
    this.notifier =
        lifecycle.track(
            new NotifySender(
                NotifySender.parse(config.transfer().secondaries()), config.instance()));
    this.zones =
        new ZoneReloader(
            ZoneSource.parseList(config.zones()),
            new ZoneLoader(config.zoneVariables()),
            registry,
            notifier::zoneChanged);
    QueryHandler handler =
        new AuthoritativeHandler(
            zones::current,
            dynamic,
            config.maxUdpPayload(),
            new ZoneTransfer(TransferAcl.parse(config.transfer().allow()), registry),
            config.instance());
    AuthoritativeConfig.RateLimit rrl = config.rrl();
    if (rrl.responsesPerSecond() > 0) {
      handler =
          new RateLimitedHandler(
              handler,
              new ResponseRateLimiter(rrl.responsesPerSecond(), rrl.window(), rrl.slip()),
              registry);
    }
    this.dns =
        new DnsServer(
            new DnsServer.Settings(
                config.instance(),
                new InetSocketAddress(config.bind(), config.dnsPort()),
                config.maxUdpPayload(),
                config.tcpIdleSeconds(),
                config.tcpConnectionsPerClient(),
                config.tcpConnections(),
                config.tcpQuerySeconds(),
                config.udpChannels()),
            handler,
            registry);
  }

  /**
   * Opens DNS on UDP+TCP, the admin endpoint and the zone file watcher; returns once clients can
   * query. If anything cannot be opened (a port in use), whatever was opened is closed again and
   * the {@code ServerStartException} names the address.
   */
  public AuthoritativeServer start() throws InterruptedException {
    lifecycle.start(this::open);
    return this;
  }

  private void open(ServerLifecycle server) throws InterruptedException {
    dns.open(server);
    admin =
        new AdminServer(
                config.instance(),
                new InetSocketAddress(config.bind(), config.adminPort()),
                registry,
                () -> Health.healthy(),
                actions())
            .start(server);
    List<Path> files =
        zones.sources().stream()
            .map(ZoneSource::location)
            .filter(location -> !location.startsWith("classpath:"))
            .map(Path::of)
            .toList();
    if (config.zoneCheckSeconds() > 0 && !files.isEmpty()) {
      server.track(
          new ZoneFileWatcher(
              files,
              config.zoneCheckSeconds(),
              () -> zones.reload(ZoneReloader.Trigger.FILE_WATCH),
              config.instance()));
    }
  }

  private Map<String, AdminAction> actions() {
    Map<String, AdminAction> actions = new HashMap<>();
    actions.put("/reload", this::reloadAction);
    actions.putAll(extraActions);
    return actions;
  }

  /**
   * Re-reads every zone whose file changed now; the old ones keep serving if any file is broken.
   */
  public ZoneReloader.Outcome reload() {
    return zones.reload(ZoneReloader.Trigger.ADMIN);
  }

  private AdminAction.Result reloadAction() {
    ZoneReloader.Outcome outcome = zones.reload(ZoneReloader.Trigger.ADMIN);
    if (!outcome.ok()) {
      return new AdminAction.Result(
          422, "rejected, old zones still served: " + outcome.error() + "\n");
    }
    // Every zone with the serial now served, so the answer is right even if the file watcher
    // got to a change first.
    StringBuilder body = new StringBuilder("reloaded\n");
    for (AuthoritativeZone zone : zones.current().all()) {
      body.append(zone.origin())
          .append(" serial ")
          .append(zone.soa().getSerial())
          .append(outcome.changed().contains(zone) ? " (changed)" : "")
          .append(outcome.reread().contains(zone.origin()) ? "" : " (file unchanged, kept)")
          .append('\n');
    }
    return AdminAction.Result.ok(body.toString());
  }

  /** The bound DNS port, UDP and TCP. */
  public int dnsPort() {
    return dns.port();
  }

  public int adminPort() {
    return admin.port();
  }

  /** The zones being served right now. */
  public ZoneSet zones() {
    return zones.current();
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * Stops answering: idle TCP connections are closed at once, busy ones after their answers (until
   * the shutdown deadline), then every thread and socket of the instance ends. Safe to call twice.
   */
  @Override
  public void close() {
    lifecycle.close();
  }
}
