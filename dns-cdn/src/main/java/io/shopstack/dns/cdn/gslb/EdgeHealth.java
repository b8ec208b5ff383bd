package io.shopstack.dns.cdn.gslb;

/**
 * Whether an edge may receive clients. Until active checks exist every edge counts as healthy; a
 * checker that probes each edge's {@code /health} plugs in here without touching the policy.
 */
@FunctionalInterface
public interface EdgeHealth {
  EdgeHealth ALL_HEALTHY = edge -> true;

  boolean isHealthy(Edge edge);
}
