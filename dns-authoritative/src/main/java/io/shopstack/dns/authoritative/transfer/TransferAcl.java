package io.shopstack.dns.authoritative.transfer;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Who may copy a whole zone: a list of CIDRs, like BIND's {@code allow-transfer}. A zone transfer
 * hands out every name at once, so the default is the server's own host only.
 */
public final class TransferAcl {
  private record Prefix(byte[] network, int bits) {}

  private final List<Prefix> prefixes;

  private TransferAcl(List<Prefix> prefixes) {
    this.prefixes = List.copyOf(prefixes);
  }

  /** Parses {@code "127.0.0.1/32, 10.0.0.0/8"}; an address without a length means just it. */
  public static TransferAcl parse(String list) {
    List<Prefix> prefixes = new ArrayList<>();
    for (String entry : list.split(",")) {
      String cidr = entry.trim();
      if (cidr.isEmpty()) {
        continue;
      }
      int slash = cidr.indexOf('/');
      String host = slash < 0 ? cidr : cidr.substring(0, slash);
      try {
        if (!host.matches("[0-9a-fA-F.:]+")) {
          throw new UnknownHostException("not an IP address");
        }
        byte[] network = InetAddress.getByName(host).getAddress();
        int bits = slash < 0 ? network.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
        if (bits < 0 || bits > network.length * 8) {
          throw new NumberFormatException("prefix length out of range");
        }
        prefixes.add(new Prefix(network, bits));
      } catch (UnknownHostException | NumberFormatException e) {
        throw new IllegalArgumentException(
            "transfer allow entry '" + cidr + "' is not a CIDR: " + e.getMessage(), e);
      }
    }
    return new TransferAcl(prefixes);
  }

  public boolean allows(InetAddress client) {
    byte[] address = client.getAddress();
    for (Prefix p : prefixes) {
      if (p.network().length == address.length && matches(p.network(), address, p.bits())) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(byte[] network, byte[] address, int bits) {
    int full = bits / 8;
    for (int i = 0; i < full; i++) {
      if (network[i] != address[i]) {
        return false;
      }
    }
    int rest = bits % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (network[full] & mask) == (address[full] & mask);
  }
}
