package io.shopstack.dns.resolver.serving;

import io.shopstack.dns.net.AddressBlock;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The networks this resolver serves. An open resolver is an amplification weapon and a cache anyone
 * can probe, so like unbound's access-control everything not listed is REFUSED.
 */
public final class AllowList {
  /**
   * {@code Inet4Address.hashCode()} is the address as an int in every JDK we know; checked once,
   * since the check below reads it instead of copying the address into a new array per query.
   */
  private static final boolean IPV4_HASH_IS_ADDRESS = ipv4HashIsAddress();

  private final List<AddressBlock> allowed;

  // The IPv4 blocks as network and mask, compared with the client's address as an int.
  private final int[] ipv4Networks;
  private final int[] ipv4Masks;

  public AllowList(List<String> cidrs) {
    this.allowed = cidrs.stream().map(AddressBlock::parse).toList();
    List<AddressBlock> ipv4 =
        allowed.stream().filter(block -> block.network() instanceof Inet4Address).toList();
    ipv4Networks = new int[ipv4.size()];
    ipv4Masks = new int[ipv4.size()];
    for (int i = 0; i < ipv4.size(); i++) {
      int prefix = ipv4.get(i).prefixLength();
      ipv4Masks[i] = prefix == 0 ? 0 : -1 << (32 - prefix);
      ipv4Networks[i] = asInt(ipv4.get(i).network().getAddress());
    }
  }

  /** Asked for every query: for IPv4 clients it allocates nothing. */
  public boolean permits(InetAddress client) {
    if (client instanceof Inet4Address && IPV4_HASH_IS_ADDRESS) {
      int address = client.hashCode();
      for (int i = 0; i < ipv4Networks.length; i++) {
        if ((address & ipv4Masks[i]) == ipv4Networks[i]) {
          return true;
        }
      }
      return false;
    }
    for (AddressBlock subnet : allowed) {
      if (subnet.contains(client)) {
        return true;
      }
    }
    return false;
  }

  private static int asInt(byte[] ipv4) {
    return (ipv4[0] & 0xff) << 24 | (ipv4[1] & 0xff) << 16 | (ipv4[2] & 0xff) << 8 | ipv4[3] & 0xff;
  }

  private static boolean ipv4HashIsAddress() {
    try {
      for (String literal : List.of("127.0.0.1", "172.28.1.10", "255.255.255.254", "0.0.0.0")) {
        InetAddress address = InetAddress.getByName(literal); // a literal: no lookup
        if (address.hashCode() != asInt(address.getAddress())) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return allowed.toString();
  }
}
