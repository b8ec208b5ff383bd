package io.shopstack.topology.plan;

import java.util.Objects;

/** One Docker network of the address plan: {@code internet} or {@code datacenter}. */
public record Network(String name, String subnet) {
  public Network {
    Objects.requireNonNull(name, "network name");
    Objects.requireNonNull(subnet, "subnet of network " + name);
  }
}
