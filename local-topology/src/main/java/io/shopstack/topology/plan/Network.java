package io.shopstack.topology.plan;

import java.util.Objects;

/**
 * One Docker network of the address plan: the backbone, a region's access network, the data centre.
 */
public record Network(String name, String subnet) {
  public Network {
    Objects.requireNonNull(name, "network name");
    Objects.requireNonNull(subnet, "subnet of network " + name);
  }
}
