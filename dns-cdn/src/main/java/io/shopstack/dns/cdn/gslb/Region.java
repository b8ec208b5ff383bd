package io.shopstack.dns.cdn.gslb;

import io.shopstack.dns.net.AddressBlock;
import java.util.List;

/**
 * A part of the network (its client subnets) and, like gdnsd's {@code datacenters} list, the
 * regions its clients go to, in order, when it has no healthy edge of its own.
 */
public record Region(String name, List<AddressBlock> subnets, List<String> fallback) {
  public Region {
    subnets = List.copyOf(subnets);
    fallback = List.copyOf(fallback);
  }
}
