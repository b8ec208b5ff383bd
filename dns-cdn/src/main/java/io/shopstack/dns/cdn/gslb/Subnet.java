package io.shopstack.dns.cdn.gslb;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/** An address block in CIDR notation, as a region is defined ({@code 172.28.1.0/24}). */
public record Subnet(byte[] network, int prefix) {

  public static Subnet parse(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("subnet '" + cidr + "' needs a /prefix-length");
    }
    try {
      byte[] address = IpLiteral.parse(cidr.substring(0, slash)).getAddress();
      int prefix = Integer.parseInt(cidr.substring(slash + 1).trim());
      if (prefix < 0 || prefix > address.length * 8) {
        throw new IllegalArgumentException("subnet '" + cidr + "' has an impossible prefix");
      }
      if (!hostBitsClear(address, prefix)) {
        throw new IllegalArgumentException("subnet '" + cidr + "' has host bits set");
      }
      return new Subnet(address, prefix);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("subnet '" + cidr + "' is not CIDR notation", e);
    }
  }

  /** True when every address of {@code address/bits} lies inside this subnet. */
  public boolean covers(InetAddress address, int bits) {
    byte[] other = address.getAddress();
    return other.length == network.length && bits >= prefix && sameBits(network, other, prefix);
  }

  /** True when {@code address/bits} and this subnet share at least one address. */
  public boolean overlaps(InetAddress address, int bits) {
    byte[] other = address.getAddress();
    return other.length == network.length && sameBits(network, other, Math.min(bits, prefix));
  }

  private static boolean sameBits(byte[] a, byte[] b, int bits) {
    for (int i = 0; i < bits; i++) {
      int mask = 0x80 >>> (i % 8);
      if ((a[i / 8] & mask) != (b[i / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  private static boolean hostBitsClear(byte[] a, int prefix) {
    for (int i = prefix; i < a.length * 8; i++) {
      if ((a[i / 8] & (0x80 >>> (i % 8))) != 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Subnet s && s.prefix == prefix && Arrays.equals(s.network, network);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(network) + prefix;
  }
}
