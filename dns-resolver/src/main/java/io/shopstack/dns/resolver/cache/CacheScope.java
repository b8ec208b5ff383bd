package io.shopstack.dns.resolver.cache;

import io.shopstack.dns.net.AddressBlock;

/**
 * Which clients a cached answer may be given to (RFC 7871 7.3). An answer whose authoritative
 * server named an ECS scope belongs to that subnet only; one for which the server said scope 0 (or
 * ignored ECS) fits everyone; one fetched without any location, for a client that opted out,
 * reflects the resolver's own address and is kept for such clients alone.
 */
record CacheScope(Kind kind, AddressBlock subnet) {
  enum Kind {
    EVERYONE,
    UNLOCATED,
    SUBNET
  }

  static final CacheScope EVERYONE = new CacheScope(Kind.EVERYONE, null);
  static final CacheScope UNLOCATED = new CacheScope(Kind.UNLOCATED, null);

  static CacheScope of(AddressBlock subnet) {
    return new CacheScope(Kind.SUBNET, subnet);
  }

  /** As a cache dump shows it: the subnet, or who the entry is for. */
  @Override
  public String toString() {
    return subnet != null ? subnet.toString() : kind.name().toLowerCase(java.util.Locale.ROOT);
  }
}
