package io.shopstack.dns.authoritative.answer;

import io.shopstack.dns.edns.ClientLocation;
import org.xbill.DNS.Name;

/**
 * Names whose data is computed per query instead of read from the zone file: the GSLB's {@code
 * shop.cdn.example.} is one. The engine still does everything else (SOA, NS, NXDOMAIN, EDNS); a
 * server with dynamic records is ECS-aware and echoes the option with a scope.
 */
public interface DynamicRecords {

  /** True when {@code name} exists because of this source (NODATA, not NXDOMAIN, for others). */
  boolean owns(Name name);

  /** The answer for this client, or null when {@code type} is not one this source computes. */
  TailoredAnswer answer(Name name, int type, ClientLocation client);
}
