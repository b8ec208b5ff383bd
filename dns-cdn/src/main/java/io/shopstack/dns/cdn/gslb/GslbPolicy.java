package io.shopstack.dns.cdn.gslb;

import io.shopstack.dns.edns.ClientLocation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.xbill.DNS.Name;

/**
 * Nearest healthy edge, as gdnsd's geoip plugin decides: the client's own region when it has a
 * healthy edge, else the first of its fallback regions (then every other region) that has one; a
 * client in no region is served by the regions with healthy edges in turn. Within the region, edges
 * are drawn at random by weight. An unhealthy edge is never answered while a healthy one exists
 * anywhere; with none anywhere, every edge of the pool is answered (fail open).
 *
 * <p>One instance is one version of the map and pools: a reload builds a new one.
 */
public final class GslbPolicy {
  private final RegionMap regions;
  private final Map<Name, List<Edge>> pools;
  private final int answers;
  private final EdgeHealth health;
  private final AtomicInteger turn = new AtomicInteger();

  /**
   * @param answers how many A records one answer carries at most
   */
  public GslbPolicy(
      RegionMap regions, Map<Name, List<Edge>> pools, int answers, EdgeHealth health) {
    this.regions = regions;
    this.pools = Map.copyOf(pools);
    this.answers = answers;
    this.health = health;
  }

  public boolean serves(Name name) {
    return pools.containsKey(name);
  }

  public Map<Name, List<Edge>> pools() {
    return pools;
  }

  public RegionMap regionMap() {
    return regions;
  }

  public Decision decide(Name service, ClientLocation client) {
    return decide(service, client, ThreadLocalRandom.current());
  }

  Decision decide(Name service, ClientLocation client, RandomGenerator random) {
    List<Edge> pool = pools.get(service);
    RegionMap.Located located = regions.locate(client);
    Region home = located.region();
    List<String> order = preferenceOrder(home);
    List<Decision.Candidate> candidates = new ArrayList<>();
    for (String region : order) {
      for (Edge edge : pool) {
        if (edge.region().equals(region)) {
          candidates.add(new Decision.Candidate(edge, health.status(edge)));
        }
      }
    }
    String homeName = home == null ? null : home.name();
    if (home != null) {
      for (String region : order) {
        List<Edge> up = upIn(candidates, region);
        if (!up.isEmpty()) {
          Decision.Reason reason =
              region.equals(homeName) ? Decision.Reason.HOME : Decision.Reason.FAILOVER;
          return new Decision(
              client,
              homeName,
              located.scopePrefix(),
              candidates,
              reason,
              region,
              draw(up, random));
        }
      }
    } else {
      List<String> serving = order.stream().filter(r -> !upIn(candidates, r).isEmpty()).toList();
      if (!serving.isEmpty()) {
        String region = serving.get(Math.floorMod(turn.getAndIncrement(), serving.size()));
        return new Decision(
            client,
            null,
            located.scopePrefix(),
            candidates,
            Decision.Reason.NO_REGION,
            region,
            draw(upIn(candidates, region), random));
      }
    }
    return new Decision(
        client,
        homeName,
        located.scopePrefix(),
        candidates,
        Decision.Reason.FAIL_OPEN,
        "all",
        pool);
  }

  /** The client's region, its fallbacks in order, then every other region in map order. */
  private List<String> preferenceOrder(Region home) {
    Set<String> order = new LinkedHashSet<>();
    if (home != null) {
      order.add(home.name());
      order.addAll(home.fallback());
    }
    regions.regions().forEach(r -> order.add(r.name()));
    return List.copyOf(order);
  }

  private static List<Edge> upIn(List<Decision.Candidate> candidates, String region) {
    return candidates.stream()
        .filter(c -> c.edge().region().equals(region) && c.status().servesClients())
        .map(Decision.Candidate::edge)
        .toList();
  }

  /** Up to {@code answers} edges drawn without replacement, each with odds by its weight. */
  private List<Edge> draw(List<Edge> up, RandomGenerator random) {
    if (up.size() <= answers && up.size() <= 1) {
      return up;
    }
    List<Edge> left = new ArrayList<>(up);
    List<Edge> drawn = new ArrayList<>();
    while (drawn.size() < answers && !left.isEmpty()) {
      int total = left.stream().mapToInt(Edge::weight).sum();
      int ticket = random.nextInt(total);
      for (int i = 0; i < left.size(); i++) {
        ticket -= left.get(i).weight();
        if (ticket < 0) {
          drawn.add(left.remove(i));
          break;
        }
      }
    }
    return drawn;
  }
}
