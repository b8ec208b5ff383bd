package io.shopstack.slb.backend;

import java.net.InetSocketAddress;

/**
 * One configured backend: where it listens and its share of new connections relative to the others
 * of its pool (HAProxy's {@code weight}). Weight 0 keeps a backend configured but sends it nothing
 * new, the way an operator drains it.
 */
public record BackendSpec(InetSocketAddress address, int weight) {
  public BackendSpec {
    if (weight < 0 || weight > 256) {
      throw new IllegalArgumentException(
          "slb: weight of " + address + " must be 0..256, got " + weight);
    }
  }

  public BackendSpec(InetSocketAddress address) {
    this(address, 1);
  }
}
