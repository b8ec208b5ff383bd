package io.shopstack.dns.authoritative;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.shopstack.common.admin.AdminServer;
import io.shopstack.common.admin.Health;
import io.shopstack.common.admin.Metrics;
import io.shopstack.dns.authoritative.answer.AuthoritativeHandler;
import io.shopstack.dns.authoritative.answer.DynamicRecords;
import io.shopstack.dns.authoritative.zone.AuthoritativeZone;
import io.shopstack.dns.authoritative.zone.ZoneLoader;
import io.shopstack.dns.authoritative.zone.ZoneSet;
import io.shopstack.dns.authoritative.zone.ZoneSource;
import io.shopstack.dns.server.DnsServer;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * An authoritative DNS server as a library: zones are loaded and checked in the constructor (a bad
 * zone file stops the instance before it binds anything), {@link #start()} opens DNS on UDP+TCP and
 * the admin port. The GSLB reuses it by passing its {@link DynamicRecords}.
 */
public final class AuthoritativeServer implements AutoCloseable {
  private final AuthoritativeConfig config;
  private final PrometheusMeterRegistry registry;
  private final ZoneSet zones;
  private final DnsServer dns;
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
    this.config = config;
    this.registry = registry;
    ZoneLoader loader = new ZoneLoader(config.zoneVariables());
    List<AuthoritativeZone> loaded =
        ZoneSource.parseList(config.zones()).stream().map(loader::load).toList();
    this.zones = new ZoneSet(loaded);
    this.dns =
        new DnsServer(
            new DnsServer.Settings(
                config.instance(),
                new InetSocketAddress(config.bind(), config.dnsPort()),
                config.maxUdpPayload(),
                config.tcpIdleSeconds()),
            new AuthoritativeHandler(zones, dynamic, config.maxUdpPayload()),
            registry);
  }

  public AuthoritativeServer start() throws InterruptedException {
    dns.start();
    admin =
        new AdminServer(
                config.instance(),
                new InetSocketAddress(config.bind(), config.adminPort()),
                registry,
                () -> Health.healthy())
            .start();
    return this;
  }

  /** The bound DNS port, UDP and TCP. */
  public int dnsPort() {
    return dns.port();
  }

  public int adminPort() {
    return admin.port();
  }

  public ZoneSet zones() {
    return zones;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public void close() {
    if (admin != null) {
      admin.close();
    }
    dns.close();
  }
}
