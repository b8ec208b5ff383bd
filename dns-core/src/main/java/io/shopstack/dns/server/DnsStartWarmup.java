package io.shopstack.dns.server;

import io.shopstack.common.server.StartWarmup;
import java.util.List;

/**
 * The start-up warm-up of a DNS server's {@code main} ({@link StartWarmup}), with dnsjava's tables
 * of names, types and classes, which every DNS server builds before its first answer, and the
 * pooled allocator its UDP sockets take buffers from ({@link UdpSockets}). A class of its own so
 * that calling it loads nothing else of the server's on the main thread.
 */
public final class DnsStartWarmup {
  private DnsStartWarmup() {}

  public static void begin() {
    StartWarmup.begin(
        List.of(
            "org.xbill.DNS.Name",
            "org.xbill.DNS.Type",
            "org.xbill.DNS.DClass",
            "org.xbill.DNS.Rcode",
            "org.xbill.DNS.Message",
            "org.xbill.DNS.ARecord",
            "io.netty.buffer.PooledByteBufAllocator"));
  }
}
