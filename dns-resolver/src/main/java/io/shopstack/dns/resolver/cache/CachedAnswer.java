package io.shopstack.dns.resolver.cache;

import java.util.List;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;

/**
 * What the cache knows about one (name, type, class): either the records, or that there are none
 * ({@code rcode} NXDOMAIN, or NOERROR with no records: NODATA) with the zone's SOA to prove it (RFC
 * 2308). TTLs in here have already been counted down to the moment of the lookup. {@code
 * prefetchDue} says the entry is in the last tenth of its TTL and worth refreshing now. {@code
 * wireForms} keeps the answers encoded from the entry's records, for all its copies: replayed with
 * TTLs capped at {@code secondsLeft}, the seconds the entry had left when this copy was counted
 * down (unbounded for an entry as stored).
 */
public record CachedAnswer(
    RRset records,
    int rcode,
    SOARecord soa,
    List<RRset> proof,
    int ecsScope,
    boolean prefetchDue,
    WireForms wireForms,
    long secondsLeft) {
  public static CachedAnswer positive(RRset records, int ecsScope) {
    return positive(records, List.of(), ecsScope);
  }

  /** A wildcard expansion with the NSEC/NSEC3 that proves it (given to DO clients only). */
  public static CachedAnswer positive(RRset records, List<RRset> proof, int ecsScope) {
    return new CachedAnswer(
        records, Rcode.NOERROR, null, proof, ecsScope, false, new WireForms(), Long.MAX_VALUE);
  }

  public static CachedAnswer negative(int rcode, SOARecord soa, int ecsScope) {
    return negative(rcode, soa, List.of(), ecsScope);
  }

  /**
   * @param proof what the authority section proved it with when signed: the SOA RRset with its
   *     RRSIGs and the NSEC/NSEC3 RRsets with theirs (empty for an unsigned zone)
   */
  public static CachedAnswer negative(int rcode, SOARecord soa, List<RRset> proof, int ecsScope) {
    return new CachedAnswer(
        null, rcode, soa, proof, ecsScope, false, new WireForms(), Long.MAX_VALUE);
  }

  CachedAnswer withPrefetchDue() {
    return new CachedAnswer(records, rcode, soa, proof, ecsScope, true, wireForms, secondsLeft);
  }

  /** This entry's records counted down to {@code secondsLeft}, sharing its kept encodings. */
  CachedAnswer countedDown(RRset records, SOARecord soa, List<RRset> proof, long secondsLeft) {
    return new CachedAnswer(records, rcode, soa, proof, ecsScope, false, wireForms, secondsLeft);
  }

  /**
   * The authority section: the signed proof when there is one (a client without DO is given a
   * negative answer's SOA alone, nothing for a wildcard expansion), else a negative answer's SOA;
   * nothing for other positive answers.
   */
  public List<RRset> authority() {
    if (!proof.isEmpty()) {
      return proof;
    }
    return soa == null ? List.of() : List.of(new RRset(soa));
  }

  /**
   * Bookkeeping an entry costs besides its records: key, owner name, object headers. An estimate,
   * like unbound's own accounting; it keeps a cache of tiny negative answers bounded too.
   */
  static final int ENTRY_OVERHEAD_BYTES = 160;

  public boolean isNegative() {
    return records == null;
  }

  /**
   * What this entry counts against {@code cache.maxBytes}: its records' wire size plus overhead.
   */
  long sizeInBytes() {
    long bytes = ENTRY_OVERHEAD_BYTES;
    if (soa != null) {
      bytes += soa.toWire(Section.ANSWER).length;
    }
    for (RRset rrset : proof) {
      for (Record record : rrset.rrs(false)) {
        bytes += record.toWire(Section.ANSWER).length;
      }
      for (Record sig : rrset.sigs()) {
        bytes += sig.toWire(Section.ANSWER).length;
      }
    }
    if (records != null) {
      for (Record record : records.rrs(false)) {
        bytes += record.toWire(Section.ANSWER).length;
      }
      for (Record sig : records.sigs()) {
        bytes += sig.toWire(Section.ANSWER).length;
      }
    }
    return bytes;
  }
}
