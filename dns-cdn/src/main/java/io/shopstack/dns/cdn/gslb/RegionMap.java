package io.shopstack.dns.cdn.gslb;

import io.shopstack.dns.edns.ClientLocation;
import io.shopstack.dns.net.AddressBlock;
import java.util.List;

/**
 * Which region a client is in. The answer comes with the ECS scope (RFC 7871 7.2.1) for which it
 * holds: the matched subnet's prefix length, so a resolver caches "north" for the whole /24 and not
 * for one client; or, when no region matched, the finer of the client's own prefix and any region
 * it overlaps, so a resolver that sent a /16 spanning north learns that /16 is not precise enough.
 */
public final class RegionMap {
  private final List<Region> regions;

  public RegionMap(List<Region> regions) {
    if (regions.isEmpty()) {
      throw new IllegalArgumentException("the region map is empty");
    }
    this.regions = List.copyOf(regions);
  }

  /** A region (null: none matched) and the scope prefix length of that finding. */
  public record Located(Region region, int scopePrefix) {}

  public Located locate(ClientLocation client) {
    int scope = client.sourcePrefix();
    for (Region region : regions) {
      for (AddressBlock subnet : region.subnets()) {
        if (subnet.covers(client.address(), client.sourcePrefix())) {
          return new Located(region, subnet.prefixLength());
        }
        if (subnet.overlaps(client.address(), client.sourcePrefix())) {
          scope = Math.max(scope, subnet.prefixLength());
        }
      }
    }
    return new Located(null, scope);
  }

  public List<Region> regions() {
    return regions;
  }
}
