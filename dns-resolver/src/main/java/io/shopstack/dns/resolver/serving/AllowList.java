package io.shopstack.dns.resolver.serving;

import io.shopstack.dns.net.AddressBlock;
import java.net.InetAddress;
import java.util.List;

/**
 * The networks this resolver serves. An open resolver is an amplification weapon and a cache anyone
 * can probe, so like unbound's access-control everything not listed is REFUSED.
 */
public final class AllowList {
  private final List<AddressBlock> allowed;

  public AllowList(List<String> cidrs) {
    this.allowed = cidrs.stream().map(AddressBlock::parse).toList();
  }

  public boolean permits(InetAddress client) {
    for (AddressBlock subnet : allowed) {
      if (subnet.contains(client)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return allowed.toString();
  }
}
