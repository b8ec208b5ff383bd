package io.shopstack.dns.resolver.cache;

/**
 * Bounds of the two caches. {@code maxBytes} bounds the answer cache by the wire size of what it
 * holds plus a fixed cost per entry (unbound's msg/rrset-cache-size); {@code maxDelegations} counts
 * zone cuts. {@code maxTtlSeconds} caps what an authoritative server may ask us to keep (unbound's
 * cache-max-ttl); {@code maxNegativeTtlSeconds} does the same for "no such name" (RFC 2308 suggests
 * at most a few hours).
 */
public record CacheSettings(
    long maxBytes, int maxDelegations, long maxTtlSeconds, long maxNegativeTtlSeconds) {
  public CacheSettings {
    if (maxBytes < 1 || maxDelegations < 1 || maxTtlSeconds < 1 || maxNegativeTtlSeconds < 0) {
      throw new IllegalArgumentException("cache bounds must be positive: " + this);
    }
  }
}
