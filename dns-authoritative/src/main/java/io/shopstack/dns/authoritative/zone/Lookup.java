package io.shopstack.dns.authoritative.zone;

import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;

/** What one zone says about one name and type (RFC 1034 4.3.2, steps 3a to 3c). */
public sealed interface Lookup {

  /** The data asked for; owner names already rewritten when a wildcard supplied it. */
  record Answer(List<RRset> rrsets) implements Lookup {}

  /** The name is an alias; the answer continues at {@code target}. */
  record Alias(RRset cname, Name target) implements Lookup {}

  /** The name lies at or below a zone cut: someone else is authoritative. */
  record Referral(Delegation delegation) implements Lookup {}

  /** The name exists (perhaps only as an empty non-terminal) but has no data of this type. */
  record NoData() implements Lookup {}

  /** The name does not exist and no wildcard covers it. */
  record NxDomain() implements Lookup {}
}
