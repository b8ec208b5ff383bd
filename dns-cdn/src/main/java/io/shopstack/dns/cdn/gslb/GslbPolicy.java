package io.shopstack.dns.cdn.gslb;

import io.shopstack.dns.edns.ClientLocation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Nearest healthy edge: the client's own region when it has a healthy edge; otherwise (unknown
 * client, or its region is down) the regions that have healthy edges take turns, a stand-in for
 * "least loaded" until edges report load. With no healthy edge anywhere we fail open and answer
 * every edge: an answer that may fail beats none.
 */
public final class GslbPolicy {
  private final RegionMap regions;
  private final EdgeHealth health;
  private final AtomicInteger turn = new AtomicInteger();

  public GslbPolicy(RegionMap regions, EdgeHealth health) {
    this.regions = regions;
    this.health = health;
  }

  public Placement place(ClientLocation client) {
    RegionMap.Located located = regions.locate(client);
    if (located.region() != null) {
      List<Edge> healthy = located.region().pool().healthy(health);
      if (!healthy.isEmpty()) {
        return new Placement(located.region().name(), healthy, located.scopePrefix());
      }
    }
    List<Region> candidates = new ArrayList<>();
    for (Region region : regions.regions()) {
      if (!region.pool().healthy(health).isEmpty()) {
        candidates.add(region);
      }
    }
    if (candidates.isEmpty()) {
      List<Edge> all = new ArrayList<>();
      regions.regions().forEach(r -> all.addAll(r.pool().edges()));
      return new Placement("none-healthy", all, located.scopePrefix());
    }
    Region next = candidates.get(Math.floorMod(turn.getAndIncrement(), candidates.size()));
    return new Placement(next.name(), next.pool().healthy(health), located.scopePrefix());
  }
}
