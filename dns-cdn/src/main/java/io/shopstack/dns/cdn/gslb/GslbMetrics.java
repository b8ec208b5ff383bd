package io.shopstack.dns.cdn.gslb;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the GSLB's answers add to {@code /metrics}, counted the same on the full and the fast path:
 * answers by region and by edge, failovers by where from and to, fail-opens. Counters are looked up
 * once per label value, not per answer.
 */
final class GslbMetrics {
  private final MeterRegistry registry;
  private final Counter failOpen;
  private final Counter prepared;
  private final ConcurrentHashMap<String, Counter> regions = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> edges = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<List<String>, Counter> failovers = new ConcurrentHashMap<>();

  GslbMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.failOpen = registry.counter("gslb_fail_open");
    this.prepared =
        Counter.builder("gslb_prepared_answers")
            .description("GSLB answers written from a prepared plan, without a dnsjava message")
            .register(registry);
  }

  /** One answer went out on the fast path (it is counted by {@link #answered} as well). */
  void prepared() {
    prepared.increment();
  }

  /**
   * @param home the client's region (the failover's origin), null for none
   * @param region the region answered ("all" when failing open)
   */
  void answered(Decision.Reason reason, String home, String region, List<Edge> chosen) {
    for (Edge edge : chosen) {
      edges
          .computeIfAbsent(edge.name(), e -> registry.counter("gslb_edge_answers", "edge", e))
          .increment();
    }
    regions.computeIfAbsent(region, r -> registry.counter("gslb_answers", "region", r)).increment();
    switch (reason) {
      case FAILOVER ->
          failovers
              .computeIfAbsent(
                  List.of(home, region),
                  k -> registry.counter("gslb_failovers", "from", k.get(0), "to", k.get(1)))
              .increment();
      case FAIL_OPEN -> failOpen.increment();
      default -> {}
    }
  }
}
