package io.shopstack.dns.authoritative.answer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.shopstack.dns.edns.ClientLocation;
import io.shopstack.dns.server.QueryHandler;
import io.shopstack.dns.server.Transport;
import java.net.InetSocketAddress;
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

  /**
   * This source's own fast path for its names ({@link QueryHandler#answerFromWire}, same contract):
   * the whole answer the engine would give, or null (the default) for the usual path.
   */
  default ByteBuf answerFromWire(
      ByteBufAllocator alloc,
      int headroom,
      ByteBuf query,
      InetSocketAddress client,
      Transport transport) {
    return null;
  }
}
