package io.shopstack.slb.backend;

import java.net.InetSocketAddress;

/**
 * One configured backend: where it listens, its share of new connections relative to the others of
 * its pool (HAProxy's {@code weight}), how many connections it may hold at once (HAProxy's server
 * {@code maxconn}; 0 for no limit), how many hashed clients may wait in its own queue before the
 * next is sent to another backend (HAProxy's server {@code maxqueue}; 0 for no limit) and the state
 * it starts in (HAProxy's {@code init-state}; null for the default: UP at start, DOWN until {@code
 * rise} checks pass when added to a running SLB). Weight 0 keeps a backend configured but sends it
 * nothing new, the way an operator drains it.
 */
public record BackendSpec(
    InetSocketAddress address,
    int weight,
    int maxConnections,
    int maxQueue,
    BackendState initState) {
  public BackendSpec {
    if (weight < 0 || weight > 256) {
      throw new IllegalArgumentException(
          "slb: weight of " + address + " must be 0..256, got " + weight);
    }
    if (maxConnections < 0) {
      throw new IllegalArgumentException(
          "slb: maxconn of " + address + " must not be negative, got " + maxConnections);
    }
    if (maxQueue < 0) {
      throw new IllegalArgumentException(
          "slb: maxqueue of " + address + " must not be negative, got " + maxQueue);
    }
  }

  public BackendSpec(InetSocketAddress address, int weight, int maxConnections) {
    this(address, weight, maxConnections, 0, null);
  }

  public BackendSpec(InetSocketAddress address, int weight) {
    this(address, weight, 0);
  }

  public BackendSpec(InetSocketAddress address) {
    this(address, 1);
  }

  /** The same backend with another weight (HAProxy's {@code set server ... weight}). */
  public BackendSpec withWeight(int newWeight) {
    return new BackendSpec(address, newWeight, maxConnections, maxQueue, initState);
  }

  /** The same backend starting in {@code state}. */
  public BackendSpec withInitState(BackendState state) {
    return new BackendSpec(address, weight, maxConnections, maxQueue, state);
  }

  /** The state it starts in: its {@code initState}, else {@code otherwise}. */
  public BackendState initState(BackendState otherwise) {
    return initState == null ? otherwise : initState;
  }
}
