package io.shopstack.client.journey;

import io.shopstack.client.net.CapturedSyn;
import io.shopstack.client.net.PacketPath;
import io.shopstack.client.net.RouterCrossing;
import io.shopstack.client.net.TtlProbe;
import java.net.InetSocketAddress;

/**
 * The purchase's path in the buy step's words: each hop to the VIP, then each router's two captures
 * of the connection's SYN, side by side, so the rewritten MACs and the decremented TTL can be read
 * off between the same IP addresses.
 */
final class PathPrinter {
  private PathPrinter() {}

  static void print(PacketPath path, InetSocketAddress vip, JourneyPrinter out) {
    String destination = vip.getAddress().getHostAddress();
    if (path.hops().isEmpty()) {
      out.note(path.hopsNote());
    } else {
      out.note("hops to " + destination + " (tracepath -n: probes with TTL 1, 2, ...):");
      for (TtlProbe.Hop hop : path.hops()) {
        String what =
            hop.reached() ? "reached" : path.routerAt(hop.address()).orElse("router (no capture)");
        out.note("  %d  %-15s %s".formatted(hop.ttl(), hop.address(), what));
      }
    }
    if (path.crossings().isEmpty()) {
      out.note(path.capturesNote());
      return;
    }
    for (RouterCrossing c : path.crossings()) {
      CapturedSyn in = c.arrived();
      out.note(
          "%s captured this connection's SYN %s:%d > %s:%d on %s:"
              .formatted(
                  c.router(),
                  in.source(),
                  in.sourcePort(),
                  in.destination(),
                  in.destinationPort(),
                  c.complete() ? "both legs" : "one leg"));
      out.note("  in  " + leg(c.inLeg(), in));
      if (c.complete()) {
        out.note("  out " + leg(c.outLeg(), c.left()));
      }
      out.note("  " + c.verdict());
    }
  }

  private static String leg(RouterCrossing.Leg leg, CapturedSyn syn) {
    return "%s %-16s %s > %s  ttl %d"
        .formatted(leg.device(), leg.address(), syn.sourceMac(), syn.destinationMac(), syn.ttl());
  }
}
