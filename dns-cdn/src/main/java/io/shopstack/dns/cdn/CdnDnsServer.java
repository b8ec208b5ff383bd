package io.shopstack.dns.cdn;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shopstack.common.admin.AdminAction;
import io.shopstack.common.admin.Metrics;
import io.shopstack.dns.authoritative.AuthoritativeServer;
import io.shopstack.dns.authoritative.reload.ZoneReloader;
import io.shopstack.dns.authoritative.zone.AuthoritativeZone;
import io.shopstack.dns.authoritative.zone.ZoneSet;
import io.shopstack.dns.cdn.gslb.Edge;
import io.shopstack.dns.cdn.gslb.EdgeHealthChecks;
import io.shopstack.dns.cdn.gslb.GslbPolicy;
import io.shopstack.dns.cdn.gslb.GslbRecords;
import io.shopstack.dns.cdn.gslb.GslbSettings;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Name;

/**
 * The CDN's authoritative DNS, acting as GSLB: the {@code cdn.example.} zone served by the shared
 * authoritative engine, with each service name ({@code shop.cdn.example.}) answered per client with
 * the nearest healthy edge of its pool. Its admin port adds to the authoritative server's: {@code
 * POST /edges} (every edge's state), {@code POST /decisions} (what a client of each region gets
 * now), {@code POST /edges/NAME/drain} and {@code .../undrain}, and a {@code POST /reload} that
 * re-reads the region map and pools as well as the zones.
 */
public final class CdnDnsServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CdnDnsServer.class);

  private final AuthoritativeServer server;
  private final EdgeHealthChecks health;
  private final GslbRecords records;
  private final Supplier<CdnDnsConfig> reread;

  /** A server whose {@code POST /reload} re-reads the zones only (no config source to re-read). */
  public CdnDnsServer(CdnDnsConfig config) {
    this(config, null);
  }

  /**
   * @param reread reads the configuration again for {@code POST /reload} (as {@code main} loaded
   *     it); only its {@code gslb:} section is taken, the server's listeners stay as they are
   */
  public CdnDnsServer(CdnDnsConfig config, Supplier<CdnDnsConfig> reread) {
    this.reread = reread;
    GslbSettings gslb = config.gslb();
    PrometheusMeterRegistry registry = Metrics.registry(config.server().instance());
    this.health =
        new EdgeHealthChecks(gslb.health(), gslb.load(), registry, config.server().instance());
    GslbPolicy policy = policy(gslb);
    this.records =
        new GslbRecords(
            policy, gslb.ttl(), gslb.fastPath(), config.server().maxUdpPayload(), registry);
    Map<String, AdminAction> actions = new HashMap<>();
    actions.put("/reload", this::reload);
    actions.put("/edges", () -> AdminAction.Result.ok(health.report()));
    actions.put("/decisions", () -> AdminAction.Result.ok(records.policy().report()));
    for (Edge edge : edges(policy)) {
      actions.put("/edges/" + edge.name() + "/drain", () -> drain(edge.name(), true));
      actions.put("/edges/" + edge.name() + "/undrain", () -> drain(edge.name(), false));
    }
    this.server = new AuthoritativeServer(config.server(), records, registry, actions);
    records.servedFrom(server::zones);
    try {
      requireInZones(policy, server.zones());
    } catch (RuntimeException e) {
      health.close();
      throw e;
    }
  }

  private GslbPolicy policy(GslbSettings gslb) {
    return new GslbPolicy(gslb.regionMap(), gslb.pools(), gslb.answers(), health);
  }

  private static Collection<Edge> edges(GslbPolicy policy) {
    Map<String, Edge> edges = new LinkedHashMap<>();
    policy.pools().values().forEach(pool -> pool.forEach(e -> edges.put(e.name(), e)));
    return edges.values();
  }

  private static void requireInZones(GslbPolicy policy, ZoneSet zones) {
    for (Name name : policy.pools().keySet()) {
      AuthoritativeZone zone = zones.closestEnclosing(name);
      if (zone == null || !zone.isAuthoritativeFor(name)) {
        throw new IllegalArgumentException(
            "gslb name " + name + " is not in the authoritative data of any configured zone");
      }
    }
  }

  /** Opens DNS, the admin port and the edges' health checks. */
  public CdnDnsServer start() throws InterruptedException {
    server.start();
    health.watch(edges(records.policy()));
    return this;
  }

  private AdminAction.Result drain(String edge, boolean drain) {
    boolean known = drain ? health.drain(edge) : health.undrain(edge);
    if (!known) {
      return new AdminAction.Result(404, "no edge " + edge + " since the last reload\n");
    }
    return AdminAction.Result.ok(health.report());
  }

  /**
   * The new region map and pools are checked whole, then the zones reloaded; only when both are
   * good does the new map answer. Anything wrong leaves the old map and zones serving.
   */
  private AdminAction.Result reload() {
    GslbPolicy next = null;
    GslbSettings gslb = null;
    if (reread != null) {
      try {
        gslb = reread.get().gslb();
        next = policy(gslb);
      } catch (RuntimeException e) {
        return new AdminAction.Result(
            422, "rejected, old region map and zones still served: " + e.getMessage() + "\n");
      }
    }
    ZoneReloader.Outcome zones = server.reload();
    if (!zones.ok()) {
      return new AdminAction.Result(
          422, "rejected, old region map and zones still served: " + zones.error() + "\n");
    }
    StringBuilder body = new StringBuilder("reloaded\n");
    for (AuthoritativeZone zone : server.zones().all()) {
      body.append(zone.origin()).append(" serial ").append(zone.soa().getSerial()).append('\n');
    }
    if (next == null) {
      body.append("region map: unchanged (this server was started without a config to re-read)\n");
      return AdminAction.Result.ok(body.toString());
    }
    try {
      requireInZones(next, server.zones());
    } catch (RuntimeException e) {
      return new AdminAction.Result(422, "rejected region map: " + e.getMessage() + "\n");
    }
    records.use(next, gslb.ttl(), gslb.fastPath());
    health.watch(edges(next));
    List<String> regions = next.regionMap().regions().stream().map(r -> r.name()).toList();
    body.append("region map: ").append(String.join(", ", regions)).append('\n');
    next.pools()
        .forEach(
            (name, pool) ->
                body.append(name)
                    .append(' ')
                    .append(pool.stream().map(Edge::toString).toList())
                    .append('\n'));
    log.info("region map reloaded: {}", regions);
    return AdminAction.Result.ok(body.toString());
  }

  public int dnsPort() {
    return server.dnsPort();
  }

  public int adminPort() {
    return server.adminPort();
  }

  @Override
  public void close() {
    server.close();
    health.close();
  }
}
