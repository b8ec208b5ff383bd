package io.shopstack.dns.resolver.serving;

import io.shopstack.dns.resolver.cache.BoundedTtlMap;
import java.net.InetAddress;
import java.time.InstantSource;

/**
 * Queries per second each client address may send (unbound's ip-ratelimit): a phone stuck in a
 * retry loop, or an allowed host turned bot, cannot take the resolver from everyone else. A token
 * bucket per address holding one second's worth; 0 switches the limit off. Clients over the limit
 * get REFUSED, a response no larger than their query.
 */
public final class ClientRateLimit {
  /** Addresses remembered at once; an address idle for a minute starts again with a full bucket. */
  private static final int MAX_CLIENTS = 100_000;

  private static final long FORGET_AFTER_SECONDS = 60;

  private final int perSecond;
  private final InstantSource clock;
  private final BoundedTtlMap<InetAddress, Bucket> buckets;

  private static final class Bucket {
    private double tokens;
    private long lastMillis;

    Bucket(double tokens, long now) {
      this.tokens = tokens;
      this.lastMillis = now;
    }

    synchronized boolean take(int perSecond, long now) {
      tokens = Math.min(perSecond, tokens + (now - lastMillis) * perSecond / 1000.0);
      lastMillis = now;
      if (tokens < 1) {
        return false;
      }
      tokens -= 1;
      return true;
    }
  }

  public ClientRateLimit(int perSecond, InstantSource clock) {
    if (perSecond < 0) {
      throw new IllegalArgumentException("clientQueriesPerSecond must be >= 0: " + perSecond);
    }
    this.perSecond = perSecond;
    this.clock = clock;
    this.buckets = new BoundedTtlMap<>(MAX_CLIENTS, clock);
  }

  /** Whether {@code client} may have this query answered now. */
  public boolean permits(InetAddress client) {
    if (perSecond == 0) {
      return true;
    }
    long now = clock.millis();
    Bucket bucket = buckets.get(client).map(BoundedTtlMap.Aged::value).orElse(null);
    if (bucket == null) {
      bucket = new Bucket(perSecond, now);
    }
    // Re-put on every query: the entry lives as long as the client keeps asking.
    buckets.put(client, bucket, FORGET_AFTER_SECONDS);
    return bucket.take(perSecond, now);
  }
}
