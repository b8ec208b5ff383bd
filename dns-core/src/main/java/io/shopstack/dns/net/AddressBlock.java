package io.shopstack.dns.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A block of IP addresses in CIDR notation ({@code 127.28.1.0/24}, {@code 2001:db8::/32}): a GSLB
 * region, a resolver allow-list entry, an ECS client subnet, a zone-transfer ACL entry. It lives in
 * dns-authoritative because that is the module every DNS service already depends on.
 *
 * <p>Host bits are decided once: text from configuration that has them ({@code 172.28.1.5/24}) is
 * most likely a typo and is rejected by {@link #parse}, while {@link #of} masks them, since an ECS
 * prefix is computed by cutting a client's address to a length. Equal blocks are equal and hash
 * alike, so a block can key a cache.
 */
public final class AddressBlock {
  private final InetAddress network;
  private final int prefixLength;

  private AddressBlock(InetAddress network, int prefixLength) {
    this.network = network;
    this.prefixLength = prefixLength;
  }

  /** The block of {@code prefixLength} bits around {@code address}; host bits are cleared. */
  public static AddressBlock of(InetAddress address, int prefixLength) {
    int bits = address.getAddress().length * 8;
    if (prefixLength < 0 || prefixLength > bits) {
      throw new IllegalArgumentException(
          "prefix /" + prefixLength + " is impossible for " + address.getHostAddress());
    }
    return new AddressBlock(mask(address, prefixLength), prefixLength);
  }

  /**
   * Parses {@code a.b.c.d/n} or {@code x::/n} from configuration; a bare address is a host block
   * (/32, /128). Names are never resolved, and an address with host bits set is rejected.
   */
  public static AddressBlock parse(String cidr) {
    String text = cidr.trim();
    int slash = text.indexOf('/');
    InetAddress address;
    try {
      address = IpLiteral.parse(slash < 0 ? text : text.substring(0, slash));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "address block '" + text + "' is not an IP address literal", e);
    }
    int bits = address.getAddress().length * 8;
    int prefixLength = bits;
    if (slash >= 0) {
      String length = text.substring(slash + 1).trim();
      if (!length.matches("\\d{1,3}") || Integer.parseInt(length) > bits) {
        throw new IllegalArgumentException(
            "address block '" + text + "' has an impossible prefix length (0.." + bits + ")");
      }
      prefixLength = Integer.parseInt(length);
    }
    AddressBlock block = of(address, prefixLength);
    if (!block.network.equals(address)) {
      throw new IllegalArgumentException(
          "address block '" + text + "' has host bits set (did you mean " + block + "?)");
    }
    return block;
  }

  /** The first address of the block (host bits clear). */
  public InetAddress network() {
    return network;
  }

  public int prefixLength() {
    return prefixLength;
  }

  /** True when {@code address} is inside this block; an address of the other family never is. */
  public boolean contains(InetAddress address) {
    return covers(address, address.getAddress().length * 8);
  }

  /** True when every address of {@code address/bits} lies inside this block. */
  public boolean covers(InetAddress address, int bits) {
    return bits >= prefixLength && sameLeadingBits(address, prefixLength);
  }

  /** True when {@code address/bits} and this block share at least one address. */
  public boolean overlaps(InetAddress address, int bits) {
    return sameLeadingBits(address, Math.min(bits, prefixLength));
  }

  private boolean sameLeadingBits(InetAddress address, int bits) {
    byte[] ours = network.getAddress();
    byte[] theirs = address.getAddress();
    if (ours.length != theirs.length) {
      return false;
    }
    for (int i = 0; i < ours.length && i * 8 < bits; i++) {
      int mask = (0xff << (8 - Math.min(8, bits - i * 8))) & 0xff;
      if (((ours[i] ^ theirs[i]) & mask) != 0) {
        return false;
      }
    }
    return true;
  }

  private static InetAddress mask(InetAddress address, int prefixLength) {
    byte[] bytes = address.getAddress();
    for (int i = 0; i < bytes.length; i++) {
      int keep = Math.max(0, Math.min(8, prefixLength - i * 8));
      bytes[i] &= (byte) (0xff << (8 - keep));
    }
    try {
      return InetAddress.getByAddress(bytes); // no lookup: the bytes are the address
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e); // cannot happen: the length came from an address
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AddressBlock b
        && b.prefixLength == prefixLength
        && b.network.equals(network);
  }

  @Override
  public int hashCode() {
    return 31 * network.hashCode() + prefixLength;
  }

  @Override
  public String toString() {
    return network.getHostAddress() + "/" + prefixLength;
  }
}
