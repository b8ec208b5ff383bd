package io.shopstack.dns.resolver.cache;

import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;

/**
 * What the cache knows about one (name, type, class): either the records, or that there are none
 * ({@code rcode} NXDOMAIN, or NOERROR with no records: NODATA) with the zone's SOA to prove it (RFC
 * 2308). TTLs in here have already been counted down to the moment of the lookup.
 */
public record CachedAnswer(RRset records, int rcode, SOARecord soa, int ecsScope) {
  public static CachedAnswer positive(RRset records, int ecsScope) {
    return new CachedAnswer(records, Rcode.NOERROR, null, ecsScope);
  }

  public static CachedAnswer negative(int rcode, SOARecord soa, int ecsScope) {
    return new CachedAnswer(null, rcode, soa, ecsScope);
  }

  public boolean isNegative() {
    return records == null;
  }
}
