package io.shopstack.dns.resolver.iteration;

import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * What the resolver does beyond the protocol's minimum to keep its clients' data private and its
 * cache unpoisoned, with unbound's names and defaults.
 *
 * @param useCapsForId randomise the case of every query name and accept only responses that echo it
 *     exactly (draft-vixie-dnsext-dns0x20): more bits an off-path spoofer must guess. Off by
 *     default, as in unbound, because some servers do not echo the case.
 * @param qnameMinimisation ask each server only for one label more than the zone it serves (RFC
 *     9156), so the root and a TLD never learn the full name. On by default, as in unbound.
 * @param nxdomainCut an NXDOMAIN means nothing exists at or below that name (RFC 8020): a cached
 *     one answers for every type there and every name below, without asking. Off by default, as
 *     unbound does it only for DNSSEC-validated NXDOMAINs: servers that answer NXDOMAIN for empty
 *     non-terminals (the test fixture's dnsjava zone does) would make real names below vanish.
 * @param capsExempt zones whose names never get random case (unbound's caps-exempt), for servers
 *     that neither echo it nor answer the plain-case fallback consistently
 * @param unwantedReplyThreshold after this many replies that answered nothing asked, the caches are
 *     emptied (unbound's {@code unwanted-reply-threshold}); 0, the default as in unbound, never.
 */
public record Hardening(
    boolean useCapsForId,
    boolean qnameMinimisation,
    Boolean nxdomainCut,
    Long unwantedReplyThreshold,
    List<String> capsExempt) {
  public static final Hardening DEFAULT = new Hardening(false, true, false, 0L, List.of());

  public Hardening {
    if (nxdomainCut == null) {
      nxdomainCut = false;
    }
    capsExempt = capsExempt == null ? List.of() : List.copyOf(capsExempt);
    for (String zone : capsExempt) {
      zone(zone); // refused at start, not at the first query below it
    }
    if (unwantedReplyThreshold == null) {
      unwantedReplyThreshold = 0L;
    }
    if (unwantedReplyThreshold < 0) {
      throw new IllegalArgumentException(
          "unwantedReplyThreshold must be >= 0: " + unwantedReplyThreshold);
    }
  }

  /** Names at or below a {@code capsExempt} zone are sent as they are, never in random case. */
  public boolean capsExempt(Name name) {
    for (String zone : capsExempt) {
      if (name.subdomain(zone(zone))) {
        return true;
      }
    }
    return false;
  }

  private static Name zone(String zone) {
    try {
      return Name.fromString(zone.trim(), Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("capsExempt: not a domain name: " + zone, e);
    }
  }
}
