package io.shopstack.dns.cdn.gslb;

import io.shopstack.dns.net.AddressBlock;
import io.shopstack.dns.net.IpLiteral;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * The {@code gslb:} part of {@code dns-cdn.yml}: the regions (client subnets and fallback order),
 * the edges (address, region, weight, health endpoint), and the service names answered from a pool
 * of those edges. Checked as a whole when read, so a reload with a typo keeps the old map.
 *
 * @param ttl seconds; short, so clients follow health changes quickly
 * @param answers how many A records one answer carries at most
 * @param fastPath whether plain A queries are answered from their wire bytes ({@link
 *     PreparedGslbAnswers}); off sends every query through the full path, as a reference to compare
 *     the fast path's bytes with, or a way around a suspected fast-path bug. Default on.
 */
public record GslbSettings(
    long ttl,
    int answers,
    HealthCheckSettings health,
    List<RegionSettings> regions,
    List<EdgeSettings> edges,
    List<ServiceSettings> services,
    LoadSettings load,
    Boolean fastPath) {

  /** One region: client subnets in CIDR notation, and where its clients go when it is down. */
  public record RegionSettings(String name, List<String> subnets, List<String> fallback) {}

  /**
   * One edge. {@code health} defaults to {@code http://ADDRESS:9901/health}, the admin port every
   * Netty service of the stack has.
   */
  public record EdgeSettings(
      String name, String address, String region, Integer weight, String health) {}

  /** A name answered by the GSLB, and the edges (by name) of its pool. */
  public record ServiceSettings(String name, List<String> edges) {}

  /** Active checks of each edge's {@code /health}, HAProxy style; interval 0 turns them off. */
  public record HealthCheckSettings(long intervalMillis, long timeoutMillis, int rise, int fall) {
    public HealthCheckSettings {
      if (intervalMillis < 0 || timeoutMillis < 1 || rise < 1 || fall < 1) {
        throw new IllegalArgumentException(
            "gslb health: intervalMillis >= 0, timeoutMillis, rise and fall >= 1 needed");
      }
    }
  }

  /**
   * Load-aware weights: every {@code intervalMillis} each edge's {@code /metrics} (at its health
   * URL's host and port) is read for {@code metric}, summed over its labels, as the edge's load;
   * {@code capacity} is the load at which an edge gets its smallest share. 0 turns it off.
   */
  public record LoadSettings(long intervalMillis, String metric, double capacity) {
    /** What an edge-cache would report as its open client connections. */
    public static final String DEFAULT_METRIC = "edge_client_connections_open";

    public static final LoadSettings OFF = new LoadSettings(0, DEFAULT_METRIC, 1000);

    public LoadSettings {
      if (intervalMillis < 0 || !(capacity > 0)) {
        throw new IllegalArgumentException(
            "gslb load: intervalMillis >= 0 and capacity > 0 needed: "
                + intervalMillis
                + ", "
                + capacity);
      }
      if (metric == null || !metric.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
        throw new IllegalArgumentException("gslb load: metric '" + metric + "' is not a name");
      }
    }

    public boolean on() {
      return intervalMillis > 0;
    }
  }

  public GslbSettings {
    load = load == null ? LoadSettings.OFF : load;
    fastPath = fastPath == null || fastPath;
    regions = regions == null ? List.of() : List.copyOf(regions);
    edges = edges == null ? List.of() : List.copyOf(edges);
    services = services == null ? List.of() : List.copyOf(services);
    if (ttl < 0 || ttl > 86400) {
      throw new IllegalArgumentException("gslb ttl must be 0..86400 seconds: " + ttl);
    }
    if (answers < 1) {
      throw new IllegalArgumentException("gslb answers must be at least 1: " + answers);
    }
    if (health == null) {
      throw new IllegalArgumentException("gslb needs a health: section");
    }
  }

  /** Settings with the fast path on. */
  public GslbSettings(
      long ttl,
      int answers,
      HealthCheckSettings health,
      List<RegionSettings> regions,
      List<EdgeSettings> edges,
      List<ServiceSettings> services,
      LoadSettings load) {
    this(ttl, answers, health, regions, edges, services, load, true);
  }

  public RegionMap regionMap() {
    return new RegionMap(regions.stream().map(GslbSettings::region).toList());
  }

  /** Every service name with its pool, each edge checked against the region map. */
  public Map<Name, List<Edge>> pools() {
    RegionMap map = regionMap();
    Map<String, Edge> byName = new HashMap<>();
    for (EdgeSettings settings : edges) {
      Edge edge = edge(settings, map);
      if (byName.put(edge.name(), edge) != null) {
        throw new IllegalArgumentException("edge " + edge.name() + " is listed twice");
      }
    }
    if (services.isEmpty()) {
      throw new IllegalArgumentException("gslb needs at least one service name");
    }
    Map<Name, List<Edge>> pools = new LinkedHashMap<>();
    for (ServiceSettings service : services) {
      List<Edge> pool = new ArrayList<>();
      for (String edgeName : service.edges()) {
        Edge edge = byName.get(edgeName);
        if (edge == null) {
          throw new IllegalArgumentException(
              "service " + service.name() + ": no edge named '" + edgeName + "'");
        }
        pool.add(edge);
      }
      if (pool.isEmpty()) {
        throw new IllegalArgumentException("service " + service.name() + " has no edges");
      }
      if (pools.put(dnsName(service.name()), List.copyOf(pool)) != null) {
        throw new IllegalArgumentException("service " + service.name() + " is listed twice");
      }
    }
    return pools;
  }

  public static Name dnsName(String name) {
    try {
      return Name.fromString(name.endsWith(".") ? name : name + ".");
    } catch (TextParseException e) {
      throw new IllegalArgumentException("gslb name '" + name + "': " + e.getMessage(), e);
    }
  }

  private static Edge edge(EdgeSettings e, RegionMap map) {
    InetAddress address = IpLiteral.parse(e.address());
    if (!(address instanceof Inet4Address)) {
      throw new IllegalArgumentException(
          "edge " + e.name() + ": " + e.address() + " is not IPv4 (A records only)");
    }
    if (map.region(e.region()) == null) {
      throw new IllegalArgumentException(
          "edge " + e.name() + ": region '" + e.region() + "' is not in the region map");
    }
    String health =
        e.health() == null || e.health().isBlank()
            ? "http://" + address.getHostAddress() + ":9901/health"
            : e.health();
    URI uri = URI.create(health);
    if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "edge " + e.name() + ": health '" + health + "' is not an http:// URL");
    }
    return new Edge(e.name(), e.region(), address, e.weight() == null ? 1 : e.weight(), uri);
  }

  private static Region region(RegionSettings r) {
    return new Region(
        r.name(),
        r.subnets().stream().map(text -> subnet(r, text)).toList(),
        r.fallback() == null ? List.of() : r.fallback());
  }

  /** A region is a network, so its length is spelled out: a bare address would be a lone host. */
  private static AddressBlock subnet(RegionSettings r, String text) {
    if (!text.contains("/")) {
      throw new IllegalArgumentException(
          "region " + r.name() + ": subnet '" + text + "' needs a /prefix-length");
    }
    return AddressBlock.parse(text);
  }
}
