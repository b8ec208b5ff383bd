package io.shopstack.dns.resolver.cache;

/**
 * Bounds of the two caches. {@code maxTtlSeconds} caps what an authoritative server may ask us to
 * keep (unbound's cache-max-ttl); {@code maxNegativeTtlSeconds} does the same for "no such name"
 * (RFC 2308 suggests at most a few hours).
 */
public record CacheSettings(
    int maxRecords, int maxDelegations, long maxTtlSeconds, long maxNegativeTtlSeconds) {
  public CacheSettings {
    if (maxRecords < 1 || maxDelegations < 1 || maxTtlSeconds < 1 || maxNegativeTtlSeconds < 0) {
      throw new IllegalArgumentException("cache bounds must be positive: " + this);
    }
  }
}
