package io.shopstack.client.journey;

import io.shopstack.client.net.CapturedSyn;
import io.shopstack.client.net.KernelRoute;
import io.shopstack.client.net.PacketPath;
import io.shopstack.client.net.RouterCrossing;
import io.shopstack.client.net.TtlProbe;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The purchase's path in {@code journey --json} ({@code buy.path}, README): the kernel's route, the
 * gateway's MAC, the hops, and each router's two captures of the connection's SYN. A part that
 * could not be observed is null or empty, with its note saying why.
 */
final class PathJson {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private PathJson() {}

  static ObjectNode of(PacketPath path) {
    if (path == null) {
      return null;
    }
    ObjectNode p = JSON.createObjectNode();
    KernelRoute route = path.route();
    if (route == null) {
      p.putNull("route");
    } else {
      p.putObject("route")
          .put("line", route.line())
          .put("gateway", route.gateway())
          .put("device", route.device())
          .put("source", route.source());
    }
    p.put("gatewayMac", path.gateway() == null ? null : path.gateway().mac());
    p.put("gatewayState", path.gateway() == null ? null : path.gateway().state());
    ArrayNode hops = p.putArray("hops");
    for (TtlProbe.Hop hop : path.hops()) {
      hops.addObject()
          .put("ttl", hop.ttl())
          .put("address", hop.address())
          .put("router", path.routerAt(hop.address()).orElse(null))
          .put("reached", hop.reached());
    }
    p.put("hopsNote", path.hopsNote());
    ArrayNode crossings = p.putArray("crossings");
    for (RouterCrossing c : path.crossings()) {
      ObjectNode crossing = crossings.addObject();
      crossing.put("router", c.router());
      crossing.put("source", c.arrived().source() + ":" + c.arrived().sourcePort());
      crossing.put("destination", c.arrived().destination() + ":" + c.arrived().destinationPort());
      crossing.set("in", leg(c.inLeg(), c.arrived()));
      crossing.set("out", c.complete() ? leg(c.outLeg(), c.left()) : null);
    }
    p.put("capturesNote", path.capturesNote());
    return p;
  }

  private static ObjectNode leg(RouterCrossing.Leg leg, CapturedSyn syn) {
    return JSON.createObjectNode()
        .put("device", leg.device())
        .put("address", leg.address())
        .put("sourceMac", syn.sourceMac())
        .put("destinationMac", syn.destinationMac())
        .put("ttl", syn.ttl())
        .put("sourceAddress", syn.source())
        .put("destinationAddress", syn.destination());
  }
}
