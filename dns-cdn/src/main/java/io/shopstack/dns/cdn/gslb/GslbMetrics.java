package io.shopstack.dns.cdn.gslb;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the GSLB's answers add to {@code /metrics}, counted the same on the full and the fast path:
 * answers by region and by edge, failovers by where from and to, fail-opens. Counters are made once
 * per label value and then only looked up: counting an answer makes no garbage.
 */
final class GslbMetrics {
  private final MeterRegistry registry;
  private final Counter failOpen;
  private final Counter prepared;
  private final ConcurrentHashMap<String, Counter> regions = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> edges = new ConcurrentHashMap<>();

  /** By the client's home region, then by the region answered. */
  private final ConcurrentHashMap<String, Map<String, Counter>> failovers =
      new ConcurrentHashMap<>();

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
    for (int i = 0; i < chosen.size(); i++) {
      edgeAnswered(chosen.get(i));
    }
    answered(reason, home, region);
  }

  /** One answer named {@code edge}. */
  void edgeAnswered(Edge edge) {
    // Looked up before computeIfAbsent: its lambda captures the registry, an object per call.
    Counter counter = edges.get(edge.name());
    if (counter == null) {
      counter =
          edges.computeIfAbsent(edge.name(), e -> registry.counter("gslb_edge_answers", "edge", e));
    }
    counter.increment();
  }

  /** One answer, its edges counted by {@link #edgeAnswered}. */
  void answered(Decision.Reason reason, String home, String region) {
    Counter answers = regions.get(region);
    if (answers == null) {
      answers = regions.computeIfAbsent(region, r -> registry.counter("gslb_answers", "region", r));
    }
    answers.increment();
    switch (reason) {
      case FAILOVER -> failover(home, region).increment();
      case FAIL_OPEN -> failOpen.increment();
      default -> {}
    }
  }

  private Counter failover(String from, String to) {
    Map<String, Counter> byTarget = failovers.get(from);
    if (byTarget == null) {
      byTarget = failovers.computeIfAbsent(from, f -> new ConcurrentHashMap<>());
    }
    Counter counter = byTarget.get(to);
    if (counter == null) {
      counter =
          byTarget.computeIfAbsent(
              to, t -> registry.counter("gslb_failovers", "from", from, "to", t));
    }
    return counter;
  }
}
