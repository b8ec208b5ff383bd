package io.shopstack.dns.resolver.serving;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.shopstack.dns.resolver.iteration.Resolved;
import org.xbill.DNS.Rcode;

/**
 * What an operator of a resolver watches (the counters of unbound-control stats): client queries,
 * how many the cache answered alone, and how many ended in SERVFAIL or were REFUSED.
 */
public final class ResolverMetrics {
  private final Counter queries;
  private final Counter cacheHits;
  private final Counter cacheMisses;
  private final Counter servFails;
  private final Counter refused;
  private final Counter rateLimited;

  public ResolverMetrics(MeterRegistry registry) {
    this.queries = registry.counter("resolver_queries");
    this.cacheHits = registry.counter("resolver_cache_hits");
    this.cacheMisses = registry.counter("resolver_cache_misses");
    this.servFails = registry.counter("resolver_servfails");
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
      servFails.increment();
    }
    if (resolved.upstreamQueries() == 0 && resolved.rcode() != Rcode.SERVFAIL) {
      cacheHits.increment();
    } else {
      cacheMisses.increment();
    }
  }

  void servFail() {
    servFails.increment();
  }
}
