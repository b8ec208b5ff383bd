package io.shopstack.dns.cdn.gslb;

import io.shopstack.dns.net.AddressBlock;
import io.shopstack.dns.net.IpLiteral;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * The {@code gslb:} part of {@code dns-cdn.yml}: the name answered dynamically, its TTL, and the
 * regions in match order.
 *
 * @param name the GSLB name ({@code shop.cdn.example.}), inside the served zone
 * @param ttl seconds; short, so clients follow health and load changes quickly
 */
public record GslbSettings(String name, long ttl, List<RegionSettings> regions) {

  /** One region: client subnets in CIDR notation and edge addresses (IPv4). */
  public record RegionSettings(String name, List<String> subnets, List<String> edges) {}

  public GslbSettings {
    regions = regions == null ? List.of() : List.copyOf(regions);
    if (ttl < 0 || ttl > 86400) {
      throw new IllegalArgumentException("gslb ttl must be 0..86400 seconds: " + ttl);
    }
  }

  public Name dnsName() {
    try {
      return Name.fromString(name.endsWith(".") ? name : name + ".");
    } catch (TextParseException e) {
      throw new IllegalArgumentException("gslb name '" + name + "': " + e.getMessage(), e);
    }
  }

  public RegionMap regionMap() {
    return new RegionMap(regions.stream().map(GslbSettings::region).toList());
  }

  private static Region region(RegionSettings r) {
    List<Edge> edges =
        r.edges().stream()
            .map(
                text -> {
                  InetAddress address = IpLiteral.parse(text);
                  if (!(address instanceof Inet4Address)) {
                    throw new IllegalArgumentException(
                        "region " + r.name() + ": edge " + text + " is not IPv4 (A records only)");
                  }
                  return new Edge(r.name(), address);
                })
            .toList();
    return new Region(
        r.name(), r.subnets().stream().map(text -> subnet(r, text)).toList(), new EdgePool(edges));
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
