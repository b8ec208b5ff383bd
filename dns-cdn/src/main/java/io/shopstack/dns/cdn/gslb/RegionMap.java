package io.shopstack.dns.cdn.gslb;

import io.shopstack.dns.edns.ClientLocation;
import io.shopstack.dns.net.AddressBlock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which region a client is in, like gdnsd's {@code nets}: the longest region subnet that holds the
 * client's whole subnet wins. The answer comes with the ECS scope (RFC 7871 7.2.1) for which it
 * holds: the widest block around the client that no other, more specific subnet cuts into. So a
 * resolver caches "north" for the whole /24, caches "no region" for a block that holds no region,
 * and, when it sent a /16 that spans regions, learns that its /16 is not precise enough.
 */
public final class RegionMap {
  private final List<Region> regions;
  private final Map<String, Region> byName = new HashMap<>();

  public RegionMap(List<Region> regions) {
    if (regions.isEmpty()) {
      throw new IllegalArgumentException("the region map is empty");
    }
    this.regions = List.copyOf(regions);
    for (Region region : regions) {
      if (byName.put(region.name(), region) != null) {
        throw new IllegalArgumentException("region " + region.name() + " is listed twice");
      }
    }
    for (Region region : regions) {
      for (String next : region.fallback()) {
        if (!byName.containsKey(next) || next.equals(region.name())) {
          throw new IllegalArgumentException(
              "region " + region.name() + ": fallback '" + next + "' is not another region");
        }
      }
    }
  }

  /** A region (null: none matched) and the scope prefix length of that finding. */
  public record Located(Region region, int scopePrefix) {}

  public Located locate(ClientLocation client) {
    Region best = null;
    int bestLength = -1;
    for (Region region : regions) {
      for (AddressBlock subnet : region.subnets()) {
        if (subnet.prefixLength() > bestLength
            && subnet.covers(client.address(), client.sourcePrefix())) {
          best = region;
          bestLength = subnet.prefixLength();
        }
      }
    }
    int scope = Math.max(bestLength, 0);
    for (Region region : regions) {
      for (AddressBlock subnet : region.subnets()) {
        if (subnet.prefixLength() <= bestLength) {
          continue; // coarser than the match: it cannot change what this client block gets
        }
        if (subnet.overlaps(client.address(), client.sourcePrefix())) {
          // A more specific subnet inside the client's own block: the answer depends on bits the
          // resolver did not send, so it holds only for a block as small as that subnet.
          scope = Math.max(scope, subnet.prefixLength());
          continue;
        }
        // Narrow the scope until its block around the client no longer reaches into the subnet.
        while (scope < subnet.prefixLength() && subnet.overlaps(client.address(), scope)) {
          scope++;
        }
      }
    }
    return new Located(best, scope);
  }

  public List<Region> regions() {
    return regions;
  }

  public Region region(String name) {
    return byName.get(name);
  }
}
