package io.shopstack.dns.resolver.serving;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.shopstack.dns.resolver.iteration.Resolved;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Rcode;

/**
 * What an operator of a resolver watches (the counters of unbound-control stats): client queries,
 * how many the cache answered alone, how long answers took (a histogram with fixed buckets, like
 * unbound's histogram), how many were REFUSED, and how many ended in SERVFAIL and why.
 */
public final class ResolverMetrics {
  private final Counter queries;
  private final Counter cacheHits;
  private final Counter cacheMisses;
  private final MeterRegistry registry;
  private final Timer resolutionTime;
  private final Counter refused;
  private final Counter rateLimited;

  public ResolverMetrics(MeterRegistry registry) {
    this.queries = registry.counter("resolver_queries");
    this.cacheHits = registry.counter("resolver_cache_hits");
    this.cacheMisses = registry.counter("resolver_cache_misses");
    this.registry = registry;
    this.resolutionTime =
        Timer.builder("resolver_resolution")
            .description("time from a client's query to our answer, cache hits included")
            .serviceLevelObjectives(
                Duration.ofMillis(1),
                Duration.ofMillis(5),
                Duration.ofMillis(20),
                Duration.ofMillis(100),
                Duration.ofMillis(500),
                Duration.ofSeconds(2),
                Duration.ofSeconds(8))
            .register(registry);
    this.refused = registry.counter("resolver_refused");
    this.rateLimited = registry.counter("resolver_rate_limited");
  }

  void query() {
    queries.increment();
  }

  void refused() {
    refused.increment();
  }

  void rateLimited() {
    rateLimited.increment();
  }

  /** A query resolved (or not): a cache hit if it needed nothing from upstream. */
  void resolved(Resolved resolved) {
    if (resolved.rcode() == Rcode.SERVFAIL) {
      servFail(ServfailCause.of(resolved.failure()));
    }
    if (resolved.upstreamQueries() == 0 && resolved.rcode() != Rcode.SERVFAIL) {
      cacheHits.increment();
    } else {
      cacheMisses.increment();
    }
  }

  /** A query answered straight from a cached entry. */
  void cacheHit() {
    cacheHits.increment();
  }

  void servFail(String cause) {
    registry.counter("resolver_servfails", "cause", cause).increment();
  }

  void answered(long startedNanos) {
    resolutionTime.record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
  }
}
