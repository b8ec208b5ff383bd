package io.shopstack.dns.resolver.ecs;

import io.shopstack.dns.net.AddressBlock;
import java.net.InetAddress;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * The authoritative servers allowed to learn where our clients are. RFC 7871 section 11.1 asks a
 * resolver to send ECS only to servers it was configured for (unbound's send-client-subnet list): a
 * client's subnet is private data, and the root, a TLD or a shop's own server has no use for it.
 * Here that is the CDN's GSLB, named by the zone it serves (so one config fits the local and the
 * Docker address plan) or by server address.
 */
public final class EcsAuthorities {
  private final List<Name> zones;
  private final List<AddressBlock> servers;

  public EcsAuthorities(List<String> zones, List<String> servers) {
    this.zones = zones.stream().map(EcsAuthorities::zone).toList();
    this.servers = servers.stream().map(AddressBlock::parse).toList();
  }

  /** Nobody: ECS switched off. */
  public static EcsAuthorities none() {
    return new EcsAuthorities(List.of(), List.of());
  }

  /**
   * Whether a query to {@code server}, asked as an authority for {@code zone}, may carry the
   * client's subnet. A listed zone covers its children: they are the same operator's delegations.
   */
  public boolean mayReceive(Name zone, InetAddress server) {
    for (Name listed : zones) {
      if (zone.subdomain(listed)) {
        return true;
      }
    }
    for (AddressBlock block : servers) {
      if (block.contains(server)) {
        return true;
      }
    }
    return false;
  }

  private static Name zone(String text) {
    try {
      return Name.fromString(text, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("ecs.zones: not a domain name: " + text, e);
    }
  }

  @Override
  public String toString() {
    return "zones " + zones + ", servers " + servers;
  }
}
