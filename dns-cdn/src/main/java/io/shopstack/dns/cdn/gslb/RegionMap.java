package io.shopstack.dns.cdn.gslb;

import io.shopstack.dns.edns.ClientLocation;
import io.shopstack.dns.net.AddressBlock;
import java.net.Inet4Address;
import java.util.ArrayList;
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

  // The IPv4 subnets again as ints, in the same order, for the fast path's lookups: no address
  // objects copied per comparison. IPv6 subnets never match an IPv4 client, so they are left out.
  private final int[] v4Networks;
  private final int[] v4Prefixes;
  private final int[] v4RegionIndex;

  /**
   * Every answer {@link #locate(int, int)} can give, made once: [1 + the region's index in {@link
   * #regions}, or 0 for none][scope]. The fast path locates a client per query and keeps nothing.
   */
  private final Located[][] v4Answers;

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
    List<Region> owners = new ArrayList<>();
    List<AddressBlock> v4 = new ArrayList<>();
    for (Region region : regions) {
      for (AddressBlock subnet : region.subnets()) {
        if (subnet.network() instanceof Inet4Address) {
          owners.add(region);
          v4.add(subnet);
        }
      }
    }
    v4Networks = v4.stream().mapToInt(b -> ipv4(b.network().getAddress())).toArray();
    v4Prefixes = v4.stream().mapToInt(AddressBlock::prefixLength).toArray();
    v4RegionIndex = owners.stream().mapToInt(this.regions::indexOf).toArray();
    v4Answers = new Located[this.regions.size() + 1][33];
    for (int region = 0; region <= this.regions.size(); region++) {
      for (int scope = 0; scope <= 32; scope++) {
        v4Answers[region][scope] =
            new Located(region == 0 ? null : this.regions.get(region - 1), scope);
      }
    }
  }

  /** Four address bytes as an int, first byte highest. */
  static int ipv4(byte[] address) {
    return (address[0] & 0xff) << 24
        | (address[1] & 0xff) << 16
        | (address[2] & 0xff) << 8
        | (address[3] & 0xff);
  }

  /** A region (null: none matched) and the scope prefix length of that finding. */
  public record Located(Region region, int scopePrefix) {}

  public Located locate(ClientLocation client) {
    if (client.address() instanceof Inet4Address) {
      return locate(ipv4(client.address().getAddress()), client.sourcePrefix());
    }
    return locateAny(client);
  }

  /**
   * {@link #locate(ClientLocation)} for an IPv4 client given as an int, with the same rules, done
   * on ints ({@code RegionMapTest} compares the two on random clients).
   */
  Located locate(int address, int sourcePrefix) {
    int best = -1;
    int bestLength = -1;
    for (int i = 0; i < v4Networks.length; i++) {
      int length = v4Prefixes[i];
      if (length > bestLength
          && sourcePrefix >= length
          && sameLeadingBits(v4Networks[i], address, length)) {
        best = i;
        bestLength = length;
      }
    }
    int scope = Math.max(bestLength, 0);
    for (int i = 0; i < v4Networks.length; i++) {
      int length = v4Prefixes[i];
      if (length <= bestLength) {
        continue;
      }
      if (sameLeadingBits(v4Networks[i], address, Math.min(sourcePrefix, length))) {
        scope = Math.max(scope, length);
        continue;
      }
      while (scope < length && sameLeadingBits(v4Networks[i], address, scope)) {
        scope++;
      }
    }
    return v4Answers[best < 0 ? 0 : v4RegionIndex[best] + 1][scope];
  }

  private static boolean sameLeadingBits(int a, int b, int bits) {
    return bits == 0 || ((a ^ b) >>> (32 - bits)) == 0;
  }

  /** The rules on address objects: any family (IPv6 clients), and the reference for IPv4. */
  Located locateAny(ClientLocation client) {
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
