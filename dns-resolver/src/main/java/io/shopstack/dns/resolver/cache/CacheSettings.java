package io.shopstack.dns.resolver.cache;

/**
 * Bounds of the two caches. {@code maxBytes} bounds the answer cache by the wire size of what it
 * holds plus a fixed cost per entry (unbound's msg/rrset-cache-size); {@code maxDelegations} counts
 * zone cuts. {@code maxTtlSeconds} caps what an authoritative server may ask us to keep (unbound's
 * cache-max-ttl); {@code maxNegativeTtlSeconds} does the same for "no such name" (RFC 2308 suggests
 * at most a few hours). {@code staleSeconds} is how long after expiry an answer may still be served
 * when no authority answers (RFC 8767); 0 switches serve-stale off, absent means one day. {@code
 * staleAnswerAfterMs} is RFC 8767's client response timer: a resolution still going after that long
 * answers the client with the expired entry, if there is one, and goes on to refresh the cache; 0 =
 * off, absent means {@link #DEFAULT_STALE_ANSWER_AFTER_MS}.
 */
public record CacheSettings(
    long maxBytes,
    int maxDelegations,
    long maxTtlSeconds,
    long maxNegativeTtlSeconds,
    Long staleSeconds,
    Long staleAnswerAfterMs) {
  /** RFC 8767 5 suggests keeping stale data for one to three days. */
  public static final long DEFAULT_STALE_SECONDS = 86400;

  /** RFC 8767 5 suggests 1.8 s, so a stub that gives up after 2 s still gets an answer. */
  public static final long DEFAULT_STALE_ANSWER_AFTER_MS = 1800;

  /** Bounds with the default serve-stale window. */
  public CacheSettings(
      long maxBytes, int maxDelegations, long maxTtlSeconds, long maxNegativeTtlSeconds) {
    this(maxBytes, maxDelegations, maxTtlSeconds, maxNegativeTtlSeconds, null, null);
  }

  public CacheSettings {
    staleSeconds = staleSeconds == null ? DEFAULT_STALE_SECONDS : staleSeconds;
    staleAnswerAfterMs =
        staleAnswerAfterMs == null ? DEFAULT_STALE_ANSWER_AFTER_MS : staleAnswerAfterMs;
    if (staleAnswerAfterMs < 0) {
      throw new IllegalArgumentException(
          "cache.staleAnswerAfterMs must be >= 0 (0 = off): " + this);
    }
    if (staleSeconds < 0) {
      throw new IllegalArgumentException("cache.staleSeconds must be >= 0 (0 = off): " + this);
    }
    if (maxBytes < 1 || maxDelegations < 1 || maxTtlSeconds < 1 || maxNegativeTtlSeconds < 0) {
      throw new IllegalArgumentException("cache bounds must be positive: " + this);
    }
  }
}
