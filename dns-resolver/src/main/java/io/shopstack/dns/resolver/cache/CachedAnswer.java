package io.shopstack.dns.resolver.cache;

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
 * wireForms} keeps the answers encoded from exactly these records, TTLs included.
 */
public record CachedAnswer(
    RRset records,
    int rcode,
    SOARecord soa,
    int ecsScope,
    boolean prefetchDue,
    WireForms wireForms) {
  public static CachedAnswer positive(RRset records, int ecsScope) {
    return new CachedAnswer(records, Rcode.NOERROR, null, ecsScope, false, new WireForms());
  }

  public static CachedAnswer negative(int rcode, SOARecord soa, int ecsScope) {
    return new CachedAnswer(null, rcode, soa, ecsScope, false, new WireForms());
  }

  CachedAnswer withPrefetchDue() {
    return new CachedAnswer(records, rcode, soa, ecsScope, true, wireForms);
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
