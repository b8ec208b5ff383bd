package io.shopstack.dns.cdn.gslb;

import io.shopstack.dns.net.AddressBlock;
import java.util.List;

/** A part of the network (its client subnets) and the edges that serve it. */
public record Region(String name, List<AddressBlock> subnets, EdgePool pool) {
  public Region {
    subnets = List.copyOf(subnets);
  }
}
