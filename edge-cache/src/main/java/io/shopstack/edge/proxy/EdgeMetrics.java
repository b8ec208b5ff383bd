package io.shopstack.edge.proxy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.shopstack.edge.cache.ResponseCache;
import io.shopstack.edge.cache.WaitingList;
import io.shopstack.edge.origin.Origin;
import io.shopstack.edge.origin.OriginException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The numbers an operator of a cache watches: hit ratio by status, origin traffic and failures, and
 * how full the cache is. {@code result} uses Varnish's words: hit, miss, pass, synth (an answer
 * this cache made up itself, such as a 404 for an unknown route or a 502).
 *
 * <p>Every label comes from a closed set: a status code is the origin's to choose (any three
 * digits, or more), so counting by code would let one origin grow /metrics without bound; the
 * status class ({@code 2xx} ... {@code 5xx}, else {@code other}) is what a hit-ratio panel needs.
 * Origins come from the configuration, error kinds from an enum.
 */
public final class EdgeMetrics {
  private final MeterRegistry registry;

  public EdgeMetrics(MeterRegistry registry, ResponseCache cache, WaitingList waitingList) {
    this.registry = registry;
    Gauge.builder("edge.cache.entries", cache, ResponseCache::entryCount)
        .description("responses stored")
        .register(registry);
    Gauge.builder("edge.cache.bytes", cache, ResponseCache::byteCount)
        .description("bytes stored (bodies plus a header estimate)")
        .baseUnit("bytes")
        .register(registry);
    FunctionCounter.builder("edge.cache.evictions", cache, ResponseCache::evictionCount)
        .description(
            "variants evicted to stay within maxCacheBytes, new ones refused admission included")
        .register(registry);
    FunctionCounter.builder("edge.cache.evicted", cache, ResponseCache::evictedBytes)
        .description("bytes of the variants evicted")
        .baseUnit("bytes")
        .register(registry);
    Gauge.builder("edge.origin.fetches.inflight", waitingList, WaitingList::inFlight)
        .description("cache fills in progress that other requests can wait for")
        .register(registry);
  }

  void request(String result, int status) {
    int slot = status >= 100 && status <= 599 ? status / 100 : 0;
    AtomicReferenceArray<Counter> byStatus =
        requests.computeIfAbsent(result, r -> new AtomicReferenceArray<>(6));
    Counter counter = byStatus.get(slot);
    if (counter == null) {
      // A race here registers the same meter twice, and the registry returns the one it has.
      counter =
          Counter.builder("edge.requests")
              .tag("result", result)
              .tag("status", statusClass(status))
              .register(registry);
      byStatus.set(slot, counter);
    }
    counter.increment();
  }

  /**
   * Counters of the request path by result (a closed set of words), so that a hit does not build
   * and look up a meter ID each time (that was a visible share of a hit's cost).
   */
  private final Map<String, AtomicReferenceArray<Counter>> requests = new ConcurrentHashMap<>();

  private final Map<String, Counter> bodyBytes = new ConcurrentHashMap<>();

  static String statusClass(int status) {
    return status >= 100 && status <= 599 ? (status / 100) + "xx" : "other";
  }

  void originFetch(Origin origin) {
    Counter.builder("edge.origin.fetches")
        .tag("origin", origin.name())
        .register(registry)
        .increment();
  }

  void originError(Origin origin, OriginException.Kind kind) {
    Counter.builder("edge.origin.errors")
        .tag("origin", origin.name())
        .tag("kind", kind.name().toLowerCase(java.util.Locale.ROOT))
        .register(registry)
        .increment();
  }

  void connectionRefused() {
    Counter.builder("edge.client.connections.refused")
        .description("client connections closed on accept because maxClientConnections were open")
        .register(registry)
        .increment();
  }

  void coalesced() {
    Counter.builder("edge.requests.coalesced")
        .description("misses that waited for another request's fetch instead of their own")
        .register(registry)
        .increment();
  }

  /** Time from sending a request to an origin to its response head, per origin. */
  void originLatency(Origin origin, long millis) {
    Timer.builder("edge.origin.latency")
        .description("time from a request to an origin to its response head")
        .tag("origin", origin.name())
        .serviceLevelObjectives(LATENCY_BUCKETS)
        .register(registry)
        .record(millis, TimeUnit.MILLISECONDS);
  }

  /** Body bytes sent to clients, by where they came from (the result label of the request). */
  void bodyBytes(String result, long bytes) {
    bodyBytes
        .computeIfAbsent(
            result,
            r ->
                Counter.builder("edge.client.body.bytes")
                    .description("response body bytes written to clients")
                    .baseUnit("bytes")
                    .tag("result", r)
                    .register(registry))
        .increment(bytes);
  }

  private static final Duration[] LATENCY_BUCKETS = {
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10)
  };
}
