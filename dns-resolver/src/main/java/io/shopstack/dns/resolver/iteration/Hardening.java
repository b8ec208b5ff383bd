package io.shopstack.dns.resolver.iteration;

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
 * @param unwantedReplyThreshold after this many replies that answered nothing asked, the caches are
 *     emptied (unbound's {@code unwanted-reply-threshold}); 0, the default as in unbound, never.
 */
public record Hardening(
    boolean useCapsForId,
    boolean qnameMinimisation,
    Boolean nxdomainCut,
    Long unwantedReplyThreshold) {
  public static final Hardening DEFAULT = new Hardening(false, true, false, 0L);

  public Hardening {
    if (nxdomainCut == null) {
      nxdomainCut = false;
    }
    if (unwantedReplyThreshold == null) {
      unwantedReplyThreshold = 0L;
    }
    if (unwantedReplyThreshold < 0) {
      throw new IllegalArgumentException(
          "unwantedReplyThreshold must be >= 0: " + unwantedReplyThreshold);
    }
  }
}
