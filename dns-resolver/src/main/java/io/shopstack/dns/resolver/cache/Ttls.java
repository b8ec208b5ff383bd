package io.shopstack.dns.resolver.cache;

import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * Rewrites record TTLs, so answers from the cache show the time they have left, not the time they
 * had.
 */
public final class Ttls {
  private Ttls() {}

  public static RRset withTtl(RRset rrset, long ttl) {
    RRset copy = new RRset();
    for (Record record : rrset.rrs(false)) {
      copy.addRR(withTtl(record, ttl));
    }
    for (Record sig : rrset.sigs()) {
      copy.addRR(withTtl(sig, ttl));
    }
    return copy;
  }

  /**
   * dnsjava records are immutable and have no TTL setter, so patch the TTL field in the record's
   * uncompressed wire form (owner name, type, class, then the TTL) and parse it back: unlike a
   * round trip through canonical rdata, this keeps the case of names inside the rdata.
   */
  @SuppressWarnings("unchecked")
  public static <T extends Record> T withTtl(T record, long ttl) {
    if (record.getTTL() == ttl) {
      return record;
    }
    byte[] wire = record.toWire(Section.ANSWER);
    int at = record.getName().length() + 4;
    wire[at] = (byte) (ttl >>> 24);
    wire[at + 1] = (byte) (ttl >>> 16);
    wire[at + 2] = (byte) (ttl >>> 8);
    wire[at + 3] = (byte) ttl;
    try {
      return (T) Record.fromWire(wire, Section.ANSWER);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot re-read a record we just wrote: " + record, e);
    }
  }
}
