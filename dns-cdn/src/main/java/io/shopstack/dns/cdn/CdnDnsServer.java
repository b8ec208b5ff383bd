package io.shopstack.dns.cdn;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shopstack.common.admin.Metrics;
import io.shopstack.dns.authoritative.AuthoritativeServer;
import io.shopstack.dns.authoritative.zone.AuthoritativeZone;
import io.shopstack.dns.cdn.gslb.EdgeHealth;
import io.shopstack.dns.cdn.gslb.GslbPolicy;
import io.shopstack.dns.cdn.gslb.GslbRecords;
import org.xbill.DNS.Name;

/**
 * The CDN's authoritative DNS, acting as GSLB: the {@code cdn.example.} zone served by the shared
 * authoritative engine, with {@code shop.cdn.example.} answered per client with the nearest healthy
 * edge.
 */
public final class CdnDnsServer implements AutoCloseable {
  private final AuthoritativeServer server;

  public CdnDnsServer(CdnDnsConfig config) {
    this(config, EdgeHealth.ALL_HEALTHY);
  }

  /**
   * @param health edge health; every edge is healthy until active checks are wired in
   */
  public CdnDnsServer(CdnDnsConfig config, EdgeHealth health) {
    PrometheusMeterRegistry registry = Metrics.registry(config.server().instance());
    Name name = config.gslb().dnsName();
    GslbPolicy policy = new GslbPolicy(config.gslb().regionMap(), health);
    this.server =
        new AuthoritativeServer(
            config.server(),
            new GslbRecords(name, config.gslb().ttl(), policy, registry),
            registry);
    AuthoritativeZone zone = server.zones().closestEnclosing(name);
    if (zone == null || !zone.isAuthoritativeFor(name)) {
      throw new IllegalArgumentException(
          "gslb name " + name + " is not in the authoritative data of any configured zone");
    }
  }

  public CdnDnsServer start() throws InterruptedException {
    server.start();
    return this;
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
  }
}
