package io.shopstack.dns.resolver.delegation;

import java.net.InetAddress;
import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;

/**
 * A zone cut as a referral describes it: the zone, its NS records, the server addresses the
 * referral carried as glue, and the server names it gave no glue for (those must be resolved before
 * they can be asked). The root hints are a delegation of "." with addresses only.
 */
public record Delegation(
    Name zone, RRset nameServers, List<InetAddress> addresses, List<Name> serversWithoutGlue) {
  public Delegation {
    addresses = List.copyOf(addresses);
    serversWithoutGlue = List.copyOf(serversWithoutGlue);
  }

  static Delegation rootHints(List<InetAddress> roots) {
    return new Delegation(Name.root, null, roots, List.of());
  }

  /** How long it may be cached: the NS TTL (glue TTLs were folded in when it was read). */
  long ttl() {
    return nameServers == null ? 0 : nameServers.getTTL();
  }
}
