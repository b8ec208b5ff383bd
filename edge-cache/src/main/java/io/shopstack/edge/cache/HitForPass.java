package io.shopstack.edge.cache;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Varnish's hit-for-pass: a key whose last response could not be stored is remembered for a while,
 * and requests for it go straight to the origin side by side instead of queueing on the waiting
 * list behind each other for an answer nobody can share.
 */
public final class HitForPass {
  /** Varnish's default for an uncacheable object's marker. */
  public static final long DEFAULT_MILLIS = 120_000;

  /** A bound on the markers: past it they are all forgotten (the waiting list still works). */
  private static final int MAX_KEYS = 100_000;

  private final ConcurrentHashMap<CacheKey, Long> until = new ConcurrentHashMap<>();
  private final long markMillis;

  public HitForPass(long markMillis) {
    this.markMillis = markMillis;
  }

  public boolean passes(CacheKey key, long nowMillis) {
    Long end = until.get(key);
    if (end == null) {
      return false;
    }
    if (end <= nowMillis) {
      until.remove(key, end);
      return false;
    }
    return true;
  }

  /** The response for {@code key} was not storable. */
  public void mark(CacheKey key, long nowMillis) {
    if (until.size() >= MAX_KEYS) {
      until.clear();
    }
    until.put(key, nowMillis + markMillis);
  }

  /** A storable response arrived after all. */
  public void clear(CacheKey key) {
    until.remove(key);
  }
}
