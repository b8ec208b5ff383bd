package io.shopstack.dns.resolver.iteration;

import java.util.List;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DNAMERecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.NameTooLongException;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Type;

/**
 * DNAME (RFC 6672): a whole subtree renamed into another, often in another zone. A name below the
 * DNAME's owner is rewritten by swapping the owner suffix for the target, and the client is given
 * the DNAME plus the CNAME that rewrite stands for, so resolvers and stubs that know no DNAME can
 * still follow it. The CNAME is always made here from the DNAME (RFC 6672 3.4): the one the server
 * sent along is not believed, and it is never cached, since the DNAME in the cache answers for
 * every name below it.
 */
final class DnameSubstitution {
  private DnameSubstitution() {}

  /** The DNAME in {@code rrsets} whose owner is a proper ancestor of {@code name}, or null. */
  static RRset above(List<RRset> rrsets, Name name) {
    for (RRset rrset : rrsets) {
      if (rrset.getType() == Type.DNAME && applies(rrset.getName(), name)) {
        return rrset;
      }
    }
    return null;
  }

  /** Whether a DNAME owned by {@code owner} rewrites {@code name}: it must be strictly below. */
  static boolean applies(Name owner, Name name) {
    return name.subdomain(owner) && !name.equals(owner);
  }

  /**
   * The CNAME that {@code dname} makes of {@code name}, with the DNAME's TTL, or null when the
   * rewritten name would be longer than 255 octets (the authority's YXDOMAIN case).
   */
  static RRset synthesize(RRset dname, Name name) {
    DNAMERecord record = (DNAMERecord) dname.first();
    try {
      Name target = name.fromDNAME(record);
      return new RRset(new CNAMERecord(name, record.getDClass(), dname.getTTL(), target));
    } catch (NameTooLongException e) {
      return null;
    }
  }

  /** Whether {@code rrset} is a CNAME made from one of the DNAMEs in {@code chain}. */
  static boolean isSynthesized(RRset rrset, List<RRset> chain) {
    return rrset.getType() == Type.CNAME && above(chain, rrset.getName()) != null;
  }

  /** The aliases in a chain, DNAMEs' CNAMEs included: what counts against the chain limit. */
  static int aliases(List<RRset> chain) {
    int aliases = 0;
    for (RRset rrset : chain) {
      if (rrset.getType() == Type.CNAME) {
        aliases++;
      }
    }
    return aliases;
  }
}
