package io.shopstack.dns.resolver.ecs;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An address prefix such as {@code 127.28.0.0/16}: the unit of the client allow-list and of ECS,
 * where a client is known only by its /24 and cached answers belong to a subnet.
 */
public record Subnet(InetAddress network, int prefixLength) {
  public Subnet {
    int bits = network.getAddress().length * 8;
    if (prefixLength < 0 || prefixLength > bits) {
      throw new IllegalArgumentException(
          "prefix /" + prefixLength + " out of range for " + network);
    }
    network = mask(network, prefixLength);
  }

  /** The prefix of {@code address} that is {@code prefixLength} bits long. */
  public static Subnet of(InetAddress address, int prefixLength) {
    return new Subnet(address, prefixLength);
  }

  /** Parses {@code a.b.c.d/n} (or an IPv6 prefix); a bare address is a host prefix. */
  public static Subnet parse(String cidr) {
    String text = cidr.trim();
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    try {
      InetAddress network = InetAddress.getByName(address);
      int prefix =
          slash < 0 ? network.getAddress().length * 8 : Integer.parseInt(text.substring(slash + 1));
      return new Subnet(network, prefix);
    } catch (UnknownHostException | NumberFormatException e) {
      throw new IllegalArgumentException("not a CIDR prefix: " + cidr, e);
    }
  }

  public boolean contains(InetAddress address) {
    return address.getAddress().length == network.getAddress().length
        && mask(address, prefixLength).equals(network);
  }

  private static InetAddress mask(InetAddress address, int prefixLength) {
    byte[] bytes = address.getAddress();
    for (int i = 0; i < bytes.length; i++) {
      int keep = Math.max(0, Math.min(8, prefixLength - i * 8));
      bytes[i] &= (byte) (0xff << (8 - keep));
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // cannot happen: the length came from an address
    }
  }

  @Override
  public String toString() {
    return network.getHostAddress() + "/" + prefixLength;
  }
}
