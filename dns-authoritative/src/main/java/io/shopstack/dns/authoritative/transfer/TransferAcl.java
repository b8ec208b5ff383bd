package io.shopstack.dns.authoritative.transfer;

import io.shopstack.dns.net.AddressBlock;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Who may copy a whole zone: a list of CIDRs, like BIND's {@code allow-transfer}. A zone transfer
 * hands out every name at once, so the default is the server's own host only.
 */
public final class TransferAcl {
  private final List<AddressBlock> allowed;

  private TransferAcl(List<AddressBlock> allowed) {
    this.allowed = List.copyOf(allowed);
  }

  /** Parses {@code "127.0.0.1/32, 10.0.0.0/8"}; an address without a length means just it. */
  public static TransferAcl parse(String list) {
    List<AddressBlock> allowed = new ArrayList<>();
    for (String entry : list.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      try {
        allowed.add(AddressBlock.parse(entry));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("transfer allow entry: " + e.getMessage(), e);
      }
    }
    return new TransferAcl(allowed);
  }

  public boolean allows(InetAddress client) {
    for (AddressBlock block : allowed) {
      if (block.contains(client)) {
        return true;
      }
    }
    return false;
  }
}
