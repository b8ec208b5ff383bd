package io.shopstack.dns.edns;

import java.net.InetAddress;

/**
 * Where the asking client is, as well as DNS can tell: the EDNS Client Subnet a resolver forwarded
 * (RFC 7871), else the address the query came from (usually the resolver's own). {@code
 * sourcePrefix} is how many leading bits of {@code address} are meaningful.
 */
public record ClientLocation(InetAddress address, int sourcePrefix, boolean fromClientSubnet) {

  /** No ECS: the packet's source address, all of it. */
  public static ClientLocation ofSource(InetAddress address) {
    return new ClientLocation(address, address.getAddress().length * 8, false);
  }
}
