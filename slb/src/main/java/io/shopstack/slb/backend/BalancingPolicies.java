package io.shopstack.slb.backend;

import java.util.Locale;

/** The balancing policies a pool can be configured with, by their HAProxy-style names. */
public final class BalancingPolicies {
  private BalancingPolicies() {}

  /** A new policy for {@code name}: {@code roundrobin}, {@code leastconn} or {@code maglev}. */
  public static BalancingPolicy of(String name) {
    return switch (name.trim().toLowerCase(Locale.ROOT)) {
      case "roundrobin" -> new RoundRobin();
      case "leastconn" -> new LeastConnections();
      case "maglev" -> new MaglevHashing();
      default ->
          throw new IllegalArgumentException(
              "slb: balance must be roundrobin, leastconn or maglev, got '" + name + "'");
    };
  }
}
