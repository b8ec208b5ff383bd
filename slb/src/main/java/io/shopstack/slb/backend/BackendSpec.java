package io.shopstack.slb.backend;

import java.net.InetSocketAddress;

/**
 * One configured backend: where it listens, its share of new connections relative to the others of
 * its pool (HAProxy's {@code weight}), how many connections it may hold at once (HAProxy's server
 * {@code maxconn}; 0 for no limit) and the state it starts in (HAProxy's {@code init-state}; null
 * for the default: UP at start, DOWN until {@code rise} checks pass when added to a running SLB).
 * Weight 0 keeps a backend configured but sends it nothing new, the way an operator drains it.
 */
public record BackendSpec(
    InetSocketAddress address, int weight, int maxConnections, BackendState initState) {
  public BackendSpec {
    if (weight < 0 || weight > 256) {
      throw new IllegalArgumentException(
          "slb: weight of " + address + " must be 0..256, got " + weight);
    }
    if (maxConnections < 0) {
      throw new IllegalArgumentException(
          "slb: maxconn of " + address + " must not be negative, got " + maxConnections);
    }
  }

  public BackendSpec(InetSocketAddress address, int weight, int maxConnections) {
    this(address, weight, maxConnections, null);
  }

  public BackendSpec(InetSocketAddress address, int weight) {
    this(address, weight, 0);
  }

  public BackendSpec(InetSocketAddress address) {
    this(address, 1);
  }

  /** The state it starts in: its {@code initState}, else {@code otherwise}. */
  public BackendState initState(BackendState otherwise) {
    return initState == null ? otherwise : initState;
  }
}
